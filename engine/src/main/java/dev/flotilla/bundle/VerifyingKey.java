package dev.flotilla.bundle;

import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 public key in its raw 32-byte encoding (RFC 8032). Its key id is the lower-case hex
 * SHA-256 of those 32 bytes (not of a SubjectPublicKeyInfo), so a verifier in any language can
 * compute it without an ASN.1 library.
 */
public record VerifyingKey(byte[] raw) {
  public VerifyingKey {
    if (raw == null || raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
    }
    raw = raw.clone();
  }

  public static VerifyingKey fromBase64(String base64) {
    return new VerifyingKey(Base64.getDecoder().decode(base64));
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  public String keyId() {
    return Sha256.hex(raw);
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
  public boolean verifies(byte[] message, byte[] signature) {
    return signature != null && signature.length == 64
        && org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, raw, 0, message, 0, message.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyingKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "VerifyingKey[" + keyId() + "]";
  }
}
