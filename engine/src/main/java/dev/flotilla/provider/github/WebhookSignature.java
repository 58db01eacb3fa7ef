package dev.flotilla.provider.github;

import dev.flotilla.provider.ProviderToken;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's webhook signature, {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}
 * (Gitea and Forgejo send the same HMAC, also in {@code X-Gitea-Signature} as bare hex). Compared in
 * constant time so that timing says nothing about how much of a forged signature was right.
 */
public final class WebhookSignature {
  private static final String PREFIX = "sha256=";

  private WebhookSignature() {}

  /** Whether {@code header} is the signature of {@code payload} under {@code secret}; false when missing or malformed. */
  public static boolean matches(ProviderToken secret, byte[] payload, String header) {
    if (header == null || !header.startsWith(PREFIX)) return false;
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()).strip().toLowerCase());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(secret, payload), given);
  }

  /**
   * Whether {@code header} is Gitea's or Forgejo's {@code X-Gitea-Signature} of {@code payload}: the
   * same HMAC as bare hex, without the {@code sha256=} prefix; false when missing or malformed.
   */
  public static boolean matchesBareHex(ProviderToken secret, byte[] payload, String header) {
    if (header == null || header.startsWith(PREFIX)) return false;
    return matches(secret, payload, PREFIX + header);
  }

  /** {@code sha256=<hex>} for {@code payload}: what a provider would send (tests, the benchmark). */
  public static String sign(ProviderToken secret, byte[] payload) {
    return PREFIX + HexFormat.of().formatHex(hmac(secret, payload));
  }

  private static byte[] hmac(ProviderToken secret, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(payload);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
