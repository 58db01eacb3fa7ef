package dev.flotilla.bundle;

import java.time.Instant;

/**
 * A public key named in a trust document, valid from {@code notBefore} (inclusive) until
 * {@code notAfter} (exclusive). The key id is computed from the key, so a document cannot name a
 * key by someone else's id.
 */
public record TrustedKey(VerifyingKey publicKey, Instant notBefore, Instant notAfter) {
  public TrustedKey {
    if (publicKey == null || notBefore == null || notAfter == null) throw new IllegalArgumentException("key, notBefore and notAfter must be set");
    if (!notAfter.isAfter(notBefore)) throw new IllegalArgumentException("notAfter must be after notBefore for key " + publicKey.keyId());
  }

  public String keyId() {
    return publicKey.keyId();
  }

  public boolean isValidAt(Instant now) {
    return !now.isBefore(notBefore) && now.isBefore(notAfter);
  }

  public TrustedKey withNotAfter(Instant when) {
    return new TrustedKey(publicKey, notBefore, when);
  }
}
