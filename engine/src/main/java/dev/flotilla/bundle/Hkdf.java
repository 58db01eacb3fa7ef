package dev.flotilla.bundle;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA-256 (RFC 5869), and the plain HMAC it is made of; the JDK 17 has no HKDF of its own. */
final class Hkdf {
  private Hkdf() {}

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    byte[] prk = hmac(salt, ikm);
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int filled = 0;
    for (int i = 1; filled < length; i++) {
      byte[] input = new byte[t.length + info.length + 1];
      System.arraycopy(t, 0, input, 0, t.length);
      System.arraycopy(info, 0, input, t.length, info.length);
      input[input.length - 1] = (byte) i;
      t = hmac(prk, input);
      int n = Math.min(t.length, length - filled);
      System.arraycopy(t, 0, out, filled, n);
      filled += n;
    }
    return out;
  }
}
