package dev.flotilla.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Private keys at rest: the 32 key bytes encrypted with AES-256-GCM under a key derived from a
 * passphrase by PBKDF2-HMAC-SHA256 (600,000 iterations by default, OWASP's 2023 figure), the
 * algorithm and public key bound in as associated data. The file also names the public key, so
 * {@code keys list} needs no passphrase. Public keys go to their own, unencrypted files.
 */
public final class KeyFile {
  public static final int DEFAULT_ITERATIONS = 600_000;
  static final String PRIVATE_TYPE = "flotilla.private-key.v1";
  static final String PUBLIC_TYPE = "flotilla.public-key.v1";
  static final String ED25519 = "ed25519";
  static final String X25519 = "x25519";

  private final SecureRandom random;
  private final int iterations;

  public KeyFile(SecureRandom random, int iterations) {
    if (iterations < 1) throw new IllegalArgumentException("iterations must be positive");
    this.random = random;
    this.iterations = iterations;
  }

  public void writeSigningKey(Path file, SigningKey key, char[] passphrase) throws BundleException {
    byte[] seed = key.seed();
    try {
      writePrivate(file, ED25519, key.publicKey().base64(), seed, passphrase);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  public void writeSiteKey(Path file, SiteKey key, char[] passphrase) throws BundleException {
    byte[] k = key.privateBytes();
    try {
      writePrivate(file, X25519, key.publicKey().base64(), k, passphrase);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  public static SigningKey readSigningKey(Path file, char[] passphrase) throws BundleException {
    byte[] seed = readPrivate(file, ED25519, passphrase);
    try {
      SigningKey key = SigningKey.fromSeed(seed);
      requirePublic(file, key.publicKey().base64());
      return key;
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  public static SiteKey readSiteKey(Path file, char[] passphrase) throws BundleException {
    byte[] k = readPrivate(file, X25519, passphrase);
    try {
      SiteKey key = SiteKey.fromPrivate(k);
      requirePublic(file, key.publicKey().base64());
      return key;
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** The public key named in a private or public key file, without a passphrase. */
  public static String publicKeyBase64(Path file) throws BundleException {
    return Envelope.JSON.convertValue(readJson(file).path("publicKey"), String.class);
  }

  public static VerifyingKey readVerifyingKey(Path file) throws BundleException {
    JsonNode json = readJson(file);
    requireAlgorithm(file, json, ED25519);
    return VerifyingKey.fromBase64(json.path("publicKey").asText());
  }

  public static SitePublicKey readSitePublicKey(Path file) throws BundleException {
    JsonNode json = readJson(file);
    requireAlgorithm(file, json, X25519);
    return SitePublicKey.fromBase64(json.path("publicKey").asText());
  }

  public static void writePublicKey(Path file, VerifyingKey key) throws BundleException {
    writeJson(file, publicJson(ED25519, key.base64(), key.keyId()));
  }

  public static void writePublicKey(Path file, SitePublicKey key) throws BundleException {
    writeJson(file, publicJson(X25519, key.base64(), key.keyId()));
  }

  private static ObjectNode publicJson(String algorithm, String publicKey, String keyId) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.put("type", PUBLIC_TYPE).put("algorithm", algorithm).put("keyid", keyId).put("publicKey", publicKey);
    return o;
  }

  private void writePrivate(Path file, String algorithm, String publicKey, byte[] secret, char[] passphrase) throws BundleException {
    byte[] salt = new byte[16];
    byte[] nonce = new byte[12];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] ciphertext;
    try {
      ciphertext = aes(Cipher.ENCRYPT_MODE, kek(passphrase, salt, iterations), nonce, aad(algorithm, publicKey), secret);
    } catch (GeneralSecurityException e) {
      throw new BundleException("cannot encrypt key " + file, e);
    }
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.put("type", PRIVATE_TYPE).put("algorithm", algorithm).put("publicKey", publicKey);
    o.putObject("kdf").put("name", "PBKDF2-HMAC-SHA256").put("iterations", iterations).put("salt", b64(salt));
    o.put("cipher", "AES-256-GCM").put("nonce", b64(nonce)).put("ciphertext", b64(ciphertext));
    writeJson(file, o);
  }

  private static byte[] readPrivate(Path file, String algorithm, char[] passphrase) throws BundleException {
    JsonNode o = readJson(file);
    if (!PRIVATE_TYPE.equals(o.path("type").asText())) throw new BundleException(file + " is not a Flotilla private key file");
    requireAlgorithm(file, o, algorithm);
    JsonNode kdf = o.path("kdf");
    if (!"PBKDF2-HMAC-SHA256".equals(kdf.path("name").asText()) || !"AES-256-GCM".equals(o.path("cipher").asText())) {
      throw new BundleException(file + " uses an unknown key derivation or cipher");
    }
    try {
      byte[] kek = kek(passphrase, Base64.getDecoder().decode(kdf.path("salt").asText()), kdf.path("iterations").asInt());
      return aes(Cipher.DECRYPT_MODE, kek, Base64.getDecoder().decode(o.path("nonce").asText()),
          aad(algorithm, o.path("publicKey").asText()), Base64.getDecoder().decode(o.path("ciphertext").asText()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new BundleException("cannot decrypt " + file + ": wrong passphrase, or the file was altered");
    }
  }

  private static void requirePublic(Path file, String derived) throws BundleException {
    if (!derived.equals(publicKeyBase64(file))) throw new BundleException(file + ": the private key does not match the public key it names");
  }

  private static void requireAlgorithm(Path file, JsonNode o, String algorithm) throws BundleException {
    if (!algorithm.equals(o.path("algorithm").asText())) {
      throw new BundleException(file + " holds a " + o.path("algorithm").asText() + " key, not " + algorithm);
    }
  }

  private static byte[] kek(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
    if (passphrase.length == 0) throw new GeneralSecurityException("empty passphrase");
    if (iterations < 1 || iterations > 10_000_000) throw new GeneralSecurityException("implausible iteration count " + iterations);
    PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } finally {
      spec.clearPassword();
    }
  }

  private static byte[] aes(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    return c.doFinal(input);
  }

  private static byte[] aad(String algorithm, String publicKey) {
    return (PRIVATE_TYPE + "\0" + algorithm + "\0" + publicKey).getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static JsonNode readJson(Path file) throws BundleException {
    try {
      JsonNode o = Envelope.JSON.readTree(Files.readAllBytes(file));
      if (o == null || !o.isObject()) throw new BundleException(file + " is not a key file (not a JSON object)");
      return o;
    } catch (NoSuchFileException e) {
      throw new BundleException("no key file " + file);
    } catch (IOException e) {
      throw new BundleException("cannot read key file " + file, e);
    }
  }

  private static void writeJson(Path file, ObjectNode o) throws BundleException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      AtomicFiles.write(file, Envelope.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(o));
    } catch (IOException e) {
      throw new BundleException("cannot write key file " + file, e);
    }
  }
}
