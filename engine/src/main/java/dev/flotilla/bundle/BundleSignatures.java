package dev.flotilla.bundle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a signature on a bundle envelope by a signing key of the trust document that is unrevoked
 * and valid now. A signature's keyid only says which key to try first; every signing key is tried,
 * and a keyid alone never grants anything. When no signature qualifies, the reason is the most
 * specific one seen: revoked, then expired, then a known key whose signature fails, then unknown.
 */
final class BundleSignatures {
  private final TrustDocument trust;

  BundleSignatures(TrustDocument trust) {
    this.trust = trust;
  }

  TrustedKey requireTrustedSignature(Envelope envelope, Instant now) throws Rejection {
    byte[] pae = envelope.pae();
    Rejection best = null;
    for (Envelope.Signature s : envelope.signatures()) {
      byte[] sig = s.sig();
      Optional<TrustedKey> verifiedBy = candidates(s.keyid()).stream().filter(k -> k.publicKey().verifies(pae, sig)).findFirst();
      Rejection why;
      if (verifiedBy.isPresent()) {
        TrustedKey k = verifiedBy.get();
        if (trust.isRevoked(k.keyId())) {
          why = new Rejection(RejectReason.REVOKED_KEY, "key " + k.keyId() + " is revoked");
        } else if (!k.isValidAt(now)) {
          why = new Rejection(RejectReason.EXPIRED_KEY, "key " + k.keyId() + " is valid from " + k.notBefore() + " until " + k.notAfter() + ", now " + now);
        } else {
          return k;
        }
      } else if (trust.isRevoked(s.keyid())) {
        why = new Rejection(RejectReason.REVOKED_KEY, "key " + s.keyid() + " is revoked");
      } else if (trust.signingKey(s.keyid()).isPresent()) {
        why = new Rejection(RejectReason.BAD_SIGNATURE, "the signature does not verify under key " + s.keyid());
      } else {
        why = new Rejection(RejectReason.UNKNOWN_KEY, "no trusted signing key verifies the signature (keyid hint '" + s.keyid() + "')");
      }
      if (best == null || rank(why.reason()) < rank(best.reason())) best = why;
    }
    throw best != null ? best : new Rejection(RejectReason.MALFORMED, "the envelope has no signatures");
  }

  /** The hinted key first, then every other signing key. */
  private List<TrustedKey> candidates(String keyidHint) {
    List<TrustedKey> keys = new ArrayList<>();
    trust.signingKey(keyidHint).ifPresent(keys::add);
    for (TrustedKey k : trust.signingKeys()) if (!k.keyId().equals(keyidHint)) keys.add(k);
    return keys;
  }

  private static int rank(RejectReason r) {
    return switch (r) {
      case REVOKED_KEY -> 0;
      case EXPIRED_KEY -> 1;
      case BAD_SIGNATURE -> 2;
      default -> 3;
    };
  }
}
