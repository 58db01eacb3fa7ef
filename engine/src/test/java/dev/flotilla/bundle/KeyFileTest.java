package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys are encrypted at rest and come back only with the right passphrase and an unaltered file. */
class KeyFileTest {
  @TempDir Path dir;
  final KeyFile files = new KeyFile(new SecureRandom(), 1_000);

  @Test
  void aSigningKeyComesBackWithItsPassphrase() throws BundleException {
    Path f = dir.resolve("signing.key");
    files.writeSigningKey(f, Keys.SIGNING, "correct horse".toCharArray());
    assertThat(KeyFile.readSigningKey(f, "correct horse".toCharArray()).keyId()).isEqualTo(Keys.SIGNING.keyId());
  }

  @Test
  void theFileDoesNotHoldTheKeyInTheClear() throws Exception {
    Path f = dir.resolve("signing.key");
    files.writeSigningKey(f, Keys.SIGNING, "correct horse".toCharArray());
    String text = Files.readString(f);
    assertThat(text).doesNotContain(java.util.Base64.getEncoder().encodeToString(Keys.SIGNING.seed()))
        .doesNotContain(java.util.HexFormat.of().formatHex(Keys.SIGNING.seed()))
        .contains("PBKDF2-HMAC-SHA256", "AES-256-GCM", Keys.SIGNING.publicKey().base64());
  }

  @Test
  void aWrongPassphraseIsRefused() throws BundleException {
    Path f = dir.resolve("signing.key");
    files.writeSigningKey(f, Keys.SIGNING, "correct horse".toCharArray());
    assertThatThrownBy(() -> KeyFile.readSigningKey(f, "battery staple".toCharArray()))
        .isInstanceOf(BundleException.class).hasMessageContaining("wrong passphrase");
  }

  @Test
  void swappingThePublicKeyInTheFileIsDetected() throws Exception {
    Path f = dir.resolve("signing.key");
    files.writeSigningKey(f, Keys.SIGNING, "pw".toCharArray());
    Files.writeString(f, Files.readString(f).replace(Keys.SIGNING.publicKey().base64(), Keys.STRANGER.publicKey().base64()));
    assertThatThrownBy(() -> KeyFile.readSigningKey(f, "pw".toCharArray())).isInstanceOf(BundleException.class);
  }

  @Test
  void aSiteKeyRoundTripsAndIsNotASigningKey() throws BundleException {
    Path f = dir.resolve("site.key");
    SiteKey site = SiteKey.generate(new SecureRandom());
    files.writeSiteKey(f, site, "pw".toCharArray());
    assertThat(KeyFile.readSiteKey(f, "pw".toCharArray()).publicKey()).isEqualTo(site.publicKey());
    assertThatThrownBy(() -> KeyFile.readSigningKey(f, "pw".toCharArray())).hasMessageContaining("not ed25519");
  }

  @Test
  void publicKeyFilesRoundTrip() throws BundleException {
    Path f = dir.resolve("signing.pub");
    KeyFile.writePublicKey(f, Keys.SIGNING.publicKey());
    assertThat(KeyFile.readVerifyingKey(f)).isEqualTo(Keys.SIGNING.publicKey());
  }
}
