package dev.flotilla.bundle;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Encryption to one site's X25519 key: an ephemeral key pair, X25519 agreement, HKDF-SHA-256
 * (salt = ephemeral public key ‖ site public key, info = the context) giving a 32-byte AES key and a
 * 12-byte nonce, and AES-256-GCM with the context as associated data. The ephemeral private key is
 * supplied by the caller ({@link SecretSealer} derives it, so that sealing is deterministic).
 */
final class SealedBox {
  static final String ALGORITHM = "X25519-HKDF-SHA256-AES256GCM";

  /** What travels: the ephemeral public key and the ciphertext with its 16-byte tag. */
  record Sealed(byte[] ephemeralPublicKey, byte[] ciphertext) {}

  private SealedBox() {}

  static Sealed seal(SitePublicKey recipient, byte[] ephemeralPrivate, byte[] context, byte[] plaintext) {
    byte[] epk = new byte[32];
    X25519.generatePublicKey(ephemeralPrivate, 0, epk, 0);
    byte[] shared = new byte[32];
    if (!X25519.calculateAgreement(ephemeralPrivate, 0, recipient.raw(), 0, shared, 0)) {
      throw new IllegalArgumentException("the site public key " + recipient.keyId() + " is a low-order point");
    }
    return new Sealed(epk, aes(Cipher.ENCRYPT_MODE, keyAndNonce(shared, epk, recipient.raw(), context), context, plaintext));
  }

  /** Decrypts, or throws when the key, the context or a byte of the ciphertext is wrong. */
  static byte[] open(SiteKey site, byte[] epk, byte[] context, byte[] ciphertext) throws GeneralSecurityException {
    if (epk.length != 32) throw new GeneralSecurityException("the ephemeral public key has " + epk.length + " bytes, not 32");
    byte[] shared = new byte[32];
    if (!site.agree(epk, shared)) throw new GeneralSecurityException("the ephemeral public key is a low-order point");
    return aesOrFail(Cipher.DECRYPT_MODE, keyAndNonce(shared, epk, site.publicKey().raw(), context), context, ciphertext);
  }

  private static byte[] keyAndNonce(byte[] shared, byte[] epk, byte[] recipient, byte[] context) {
    byte[] salt = Arrays.copyOf(epk, 64);
    System.arraycopy(recipient, 0, salt, 32, 32);
    return Hkdf.derive(salt, shared, context, 44);
  }

  private static byte[] aes(int mode, byte[] keyAndNonce, byte[] aad, byte[] input) {
    try {
      return aesOrFail(mode, keyAndNonce, aad, input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM encryption failed", e);
    }
  }

  private static byte[] aesOrFail(int mode, byte[] keyAndNonce, byte[] aad, byte[] input) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(keyAndNonce, 0, 32, "AES"), new GCMParameterSpec(128, keyAndNonce, 32, 12));
    c.updateAAD(aad);
    return c.doFinal(input);
  }
}
