package dev.flotilla.bundle;

import java.util.Arrays;
import java.util.Base64;

/** The public half of a site's X25519 key: what the engine encrypts the site's secrets for. */
public record SitePublicKey(byte[] raw) {
  public SitePublicKey {
    if (raw == null || raw.length != 32) throw new IllegalArgumentException("an X25519 public key has 32 bytes");
    raw = raw.clone();
  }

  public static SitePublicKey fromBase64(String base64) {
    return new SitePublicKey(Base64.getDecoder().decode(base64));
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  public String keyId() {
    return Sha256.hex(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SitePublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }
}
