package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine serves a key folder's trust documents only as far as they chain like an agent would check them. */
class TrustChainTest {
  static final char[] PASSPHRASE = "test passphrase".toCharArray();

  @TempDir Path dir;
  KeyDirectory keys;

  @BeforeEach
  void threeVersions() throws BundleException {
    keys = new KeyDirectory(dir, new KeyFile(new SecureRandom(), 1_000), Clock.fixed(Keys.T0, ZoneOffset.UTC), new SecureRandom());
    keys.generate(3, 2, Duration.ofDays(365), PASSPHRASE);
    keys.rotate(Duration.ofDays(7), Duration.ofDays(365), PASSPHRASE);
    keys.rotate(Duration.ofDays(7), Duration.ofDays(365), PASSPHRASE);
  }

  @Test
  void aKeyFolderMadeByKeysGenerateAndRotateChainsFromVersionOneToItsTrustJson() throws Exception {
    TrustChain chain = TrustChain.read(dir);

    assertThat(chain.problem()).isEmpty();
    assertThat(chain.links()).extracting(TrustChain.Link::version).containsExactly(1, 2, 3);
    assertThat(chain.current().orElseThrow().envelope()).isEqualTo(readBytes(dir.resolve("trust.json")));
    assertThat(chain.version(2).orElseThrow().etag()).startsWith("\"trust-2-").isNotEqualTo(chain.version(3).orElseThrow().etag());
  }

  @Test
  void aTamperedVersionStopsTheChainBeforeItAndIsNamed() throws Exception {
    Path v2 = dir.resolve("trust/2.json");
    Envelope e = Envelope.parse(readBytes(v2));
    TrustDocument doc = TrustDocument.parse(e.payload());
    TrustDocument forged = new TrustDocument(2, doc.rootThreshold(), doc.roots(),
        List.of(new TrustedKey(Keys.STRANGER.publicKey(), Keys.T0, Keys.T0.plusSeconds(86_400))), doc.revoked());
    Files.write(v2, new Envelope(e.payloadType(), forged.toJson(), e.signatures()).toJson());

    TrustChain chain = TrustChain.read(dir);

    assertThat(chain.links()).extracting(TrustChain.Link::version).containsExactly(1);
    assertThat(chain.problem()).hasValueSatisfying(p -> assertThat(p).contains("before version 2").contains("below-threshold"));
  }

  @Test
  void aMissingVersionStopsTheChainAtTheGap() throws Exception {
    Files.delete(dir.resolve("trust/2.json"));

    TrustChain chain = TrustChain.read(dir);

    assertThat(chain.links()).extracting(TrustChain.Link::version).containsExactly(1);
    assertThat(chain.problem()).hasValueSatisfying(p -> assertThat(p).contains("before version 3").contains("version-gap"));
  }

  private static byte[] readBytes(Path f) throws java.io.IOException {
    return Files.readAllBytes(f);
  }
}
