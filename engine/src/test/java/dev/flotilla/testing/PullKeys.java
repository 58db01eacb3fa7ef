package dev.flotilla.testing;

import dev.flotilla.bundle.Envelope;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.bundle.TrustDocument;
import dev.flotilla.bundle.TrustedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Fixed keys for pull-delivery tests: an engine signing key and the trust.json an agent installs. */
public final class PullKeys {
  public static final SigningKey ROOT = seeded(1);
  public static final SigningKey SIGNING = seeded(10);
  public static final SigningKey STRANGER = seeded(99);

  private PullKeys() {}

  public static SigningKey seeded(int n) {
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) seed[i] = (byte) (n * 31 + i);
    return SigningKey.fromSeed(seed);
  }

  /** Version 1: ROOT, threshold 1; SIGNING valid from a year before {@code around} to a year after. */
  public static TrustDocument trust(Instant around) {
    return new TrustDocument(1, 1, List.of(ROOT.publicKey()),
        List.of(new TrustedKey(SIGNING.publicKey(), around.minusSeconds(365L * 86_400), around.plusSeconds(365L * 86_400))), Set.of());
  }

  /** Writes the signed trust document to {@code file}, as an agent is given it. */
  public static Path writeTrust(Path file, Instant around) throws java.io.IOException {
    Envelope signed = trust(around).sign(List.of(ROOT));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, signed.toJson());
    return file;
  }
}
