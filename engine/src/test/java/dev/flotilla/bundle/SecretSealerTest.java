package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Secrets travel encrypted for their site: unreadable at rest, openable only there, and sealed deterministically. */
class SecretSealerTest {
  static final String CONFIG = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pos-config\n  namespace: pos\ndata:\n  port: \"8080\"\n";
  static final String SECRET = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pos-db\n  namespace: pos\ntype: Opaque\n"
      + "data:\n  password: c3VwZXItc2VjcmV0LXBhc3N3b3Jk\nstringData:\n  apiToken: tok-0123456789\n";

  final SiteKey paris = SiteKey.fromPrivate(bytes(7));
  final SiteKey lyon = SiteKey.fromPrivate(bytes(8));
  final SecretSealer sealer = new SecretSealer(bytes(42));

  static byte[] bytes(int n) {
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i++) b[i] = (byte) (n + i);
    return b;
  }

  static SortedMap<String, byte[]> files(String yaml) {
    SortedMap<String, byte[]> f = new TreeMap<>();
    f.put("pos.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    return f;
  }

  static String text(SortedMap<String, byte[]> files) {
    return new String(files.get("pos.yaml"), StandardCharsets.UTF_8);
  }

  @Test
  void sealedBundleDoesNotContainTheSecretValues() throws BundleException {
    String sealed = text(sealer.seal("store-paris-01", paris.publicKey(), files(CONFIG + "---\n" + SECRET)));
    assertThat(sealed).doesNotContain("c3VwZXItc2VjcmV0LXBhc3N3b3Jk", "tok-0123456789", "password", "apiToken");
    assertThat(sealed).contains("sealedData", SealedBox.ALGORITHM, paris.publicKey().keyId(), "name: \"pos-db\"");
  }

  @Test
  void otherDocumentsKeepTheirBytes() throws BundleException {
    String sealed = text(sealer.seal("store-paris-01", paris.publicKey(), files(CONFIG + "---\n" + SECRET)));
    assertThat(sealed).startsWith(CONFIG + "---\n");
  }

  @Test
  void theSiteOpensWhatWasSealedForIt() throws BundleException {
    SortedMap<String, byte[]> sealed = sealer.seal("store-paris-01", paris.publicKey(), files(SECRET));
    String opened = text(SecretSealer.open("store-paris-01", paris, sealed));
    assertThat(opened).contains("password: \"c3VwZXItc2VjcmV0LXBhc3N3b3Jk\"", "apiToken: \"tok-0123456789\"").doesNotContain("sealedData");
  }

  @Test
  void sealingIsDeterministicSoARebuiltBundleKeepsItsDigest() throws BundleException {
    assertThat(text(sealer.seal("store-paris-01", paris.publicKey(), files(SECRET))))
        .isEqualTo(text(sealer.seal("store-paris-01", paris.publicKey(), files(SECRET))));
  }

  @Test
  void anotherSiteCannotOpenIt() throws BundleException {
    SortedMap<String, byte[]> sealed = sealer.seal("store-paris-01", paris.publicKey(), files(SECRET));
    assertThatThrownBy(() -> SecretSealer.open("store-paris-01", lyon, sealed))
        .isInstanceOf(BundleException.class).hasMessageContaining("pos/pos-db");
  }

  @Test
  void aCiphertextMovedToAnotherSecretDoesNotOpen() throws BundleException {
    SortedMap<String, byte[]> sealed = sealer.seal("store-paris-01", paris.publicKey(), files(SECRET));
    SortedMap<String, byte[]> moved = files(text(sealed).replace("pos-db", "pos-other"));
    assertThatThrownBy(() -> SecretSealer.open("store-paris-01", paris, moved)).isInstanceOf(BundleException.class);
  }

  @Test
  void aFlippedCiphertextByteDoesNotOpen() throws BundleException {
    String sealed = text(sealer.seal("store-paris-01", paris.publicKey(), files(SECRET)));
    int at = sealed.indexOf("ciphertext: \"") + 20;
    char c = sealed.charAt(at);
    String flipped = sealed.substring(0, at) + (c == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
    assertThatThrownBy(() -> SecretSealer.open("store-paris-01", paris, files(flipped))).isInstanceOf(BundleException.class);
  }

  @Test
  void filesWithoutSecretsAreUntouched() throws BundleException {
    assertThat(SecretSealer.hasSecrets(files(CONFIG))).isFalse();
    assertThat(SecretSealer.hasSecrets(files(CONFIG + "---\n" + SECRET))).isTrue();
    assertThat(text(sealer.seal("store-paris-01", paris.publicKey(), files(CONFIG)))).isEqualTo(CONFIG);
  }

  @Test
  void hkdfMatchesRfc5869TestCase1() {
    HexFormat hex = HexFormat.of();
    byte[] okm = Hkdf.derive(hex.parseHex("000102030405060708090a0b0c"), hex.parseHex("0b".repeat(22)),
        hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertThat(hex.formatHex(okm)).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }
}
