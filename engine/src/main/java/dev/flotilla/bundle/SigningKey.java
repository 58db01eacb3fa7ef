package dev.flotilla.bundle;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair held in memory: the 32-byte seed (RFC 8032's private key) and its public key.
 * Signs with Bouncy Castle's RFC 8032 code, which the {@code bench bundles} benchmark measured to be
 * several times faster than the JDK's {@code Ed25519} signature (see the README).
 */
public final class SigningKey implements Signer {
  private final byte[] seed;
  private final VerifyingKey publicKey;

  private SigningKey(byte[] seed) {
    if (seed.length != 32) throw new IllegalArgumentException("an Ed25519 private key has 32 bytes");
    this.seed = seed.clone();
    byte[] pub = new byte[32];
    Ed25519.generatePublicKey(this.seed, 0, pub, 0);
    this.publicKey = new VerifyingKey(pub);
  }

  public static SigningKey fromSeed(byte[] seed) {
    return new SigningKey(seed);
  }

  public static SigningKey generate(SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    SigningKey key = new SigningKey(seed);
    Arrays.fill(seed, (byte) 0);
    return key;
  }

  public VerifyingKey publicKey() {
    return publicKey;
  }

  @Override
  public String keyId() {
    return publicKey.keyId();
  }

  @Override
  public byte[] sign(byte[] message) {
    byte[] sig = new byte[64];
    Ed25519.sign(seed, 0, publicKey.raw(), 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /**
   * A 32-byte secret derived from this key by HKDF (label {@code flotilla-sealing-v1}), for
   * {@link SecretSealer}: one key to keep safe instead of two, and distinct from the seed.
   */
  public byte[] sealingSecret() {
    return Hkdf.derive("flotilla-sealing-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), seed, new byte[0], 32);
  }

  /** The seed, for writing the key encrypted at rest ({@link KeyFile}); callers wipe the copy. */
  byte[] seed() {
    return seed.clone();
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId() + "]";
  }
}
