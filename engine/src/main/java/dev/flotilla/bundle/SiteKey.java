package dev.flotilla.bundle;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A site's X25519 key pair for secrets in its bundles. The private half stays at the site (the
 * agent); the engine holds only {@link SitePublicKey}.
 */
public final class SiteKey {
  private final byte[] privateKey;
  private final SitePublicKey publicKey;

  private SiteKey(byte[] privateKey) {
    if (privateKey.length != 32) throw new IllegalArgumentException("an X25519 private key has 32 bytes");
    this.privateKey = privateKey.clone();
    byte[] pub = new byte[32];
    X25519.generatePublicKey(this.privateKey, 0, pub, 0);
    this.publicKey = new SitePublicKey(pub);
  }

  public static SiteKey generate(SecureRandom random) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return new SiteKey(k);
  }

  public static SiteKey fromPrivate(byte[] privateKey) {
    return new SiteKey(privateKey);
  }

  public SitePublicKey publicKey() {
    return publicKey;
  }

  /** X25519 with {@code peer}; false when the result is all zeros (a low-order point: refuse it). */
  boolean agree(byte[] peer, byte[] out) {
    return X25519.calculateAgreement(privateKey, 0, peer, 0, out, 0);
  }

  /** The private scalar, for writing the key encrypted at rest ({@link KeyFile}). */
  byte[] privateBytes() {
    return privateKey.clone();
  }
}
