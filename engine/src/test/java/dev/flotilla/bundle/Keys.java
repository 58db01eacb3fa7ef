package dev.flotilla.bundle;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Fixed keys and a trust document for tests: every run signs the same bytes. */
final class Keys {
  static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");

  static final SigningKey ROOT_A = seeded(1);
  static final SigningKey ROOT_B = seeded(2);
  static final SigningKey ROOT_C = seeded(3);
  static final SigningKey SIGNING = seeded(10);
  static final SigningKey SIGNING_2 = seeded(11);
  static final SigningKey STRANGER = seeded(99);

  private Keys() {}

  static SigningKey seeded(int n) {
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) seed[i] = (byte) (n * 31 + i);
    return SigningKey.fromSeed(seed);
  }

  static SigningKey fromHex(String hex) {
    return SigningKey.fromSeed(HexFormat.of().parseHex(hex));
  }

  /** Version 1: one root, threshold 1, SIGNING valid for a year from T0 minus a day. */
  static TrustDocument trust() {
    return new TrustDocument(1, 1, List.of(ROOT_A.publicKey()),
        List.of(new TrustedKey(SIGNING.publicKey(), T0.minusSeconds(86_400), T0.plusSeconds(365L * 86_400))), Set.of());
  }

  /** Version 1 with three roots, two of which must sign the next version. */
  static TrustDocument twoOfThree() {
    return new TrustDocument(1, 2, List.of(ROOT_A.publicKey(), ROOT_B.publicKey(), ROOT_C.publicKey()),
        List.of(new TrustedKey(SIGNING.publicKey(), T0.minusSeconds(86_400), T0.plusSeconds(365L * 86_400))), Set.of());
  }
}
