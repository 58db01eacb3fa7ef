package dev.flotilla.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What an agent trusts (the payload of {@code trust.json}): the keys that may sign bundles, each
 * with its validity period; the key ids revoked for good; and the root keys, {@code rootThreshold}
 * of which must sign the next version of this document. Versions count up by one per change.
 */
public record TrustDocument(
    int version, int rootThreshold, List<VerifyingKey> roots, List<TrustedKey> signingKeys, Set<String> revoked) {

  /** The DSSE payload type of a trust document. */
  public static final String PAYLOAD_TYPE = "application/vnd.flotilla.trust.v1+json";

  private static final Set<String> FIELDS = Set.of("version", "rootThreshold", "roots", "signingKeys", "revoked");

  public TrustDocument {
    if (version < 1) throw new IllegalArgumentException("version must be at least 1");
    roots = List.copyOf(roots);
    signingKeys = List.copyOf(signingKeys);
    revoked = Collections.unmodifiableSortedSet(new TreeSet<>(revoked));
    if (rootThreshold < 1 || rootThreshold > roots.size()) {
      throw new IllegalArgumentException("rootThreshold must be between 1 and the number of roots (" + roots.size() + ")");
    }
    if (new HashSet<>(roots).size() != roots.size()) throw new IllegalArgumentException("a root key is listed twice");
    Set<String> ids = new HashSet<>();
    for (TrustedKey k : signingKeys) {
      if (!ids.add(k.keyId())) throw new IllegalArgumentException("signing key " + k.keyId() + " is listed twice");
    }
  }

  public Optional<TrustedKey> signingKey(String keyId) {
    return signingKeys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  public boolean isRevoked(String keyId) {
    return revoked.contains(keyId);
  }

  /** The next version with {@code key} added. */
  public TrustDocument withSigningKey(TrustedKey key) {
    List<TrustedKey> keys = new ArrayList<>(signingKeys);
    keys.add(key);
    return new TrustDocument(version + 1, rootThreshold, roots, keys, revoked);
  }

  /** The next version with {@code keys} in place of the signing keys. */
  public TrustDocument withSigningKeys(List<TrustedKey> keys) {
    return new TrustDocument(version + 1, rootThreshold, roots, keys, revoked);
  }

  /** The next version with {@code keyId} revoked and removed from the signing keys. */
  public TrustDocument withRevoked(String keyId) {
    SortedSet<String> r = new TreeSet<>(revoked);
    r.add(keyId);
    List<TrustedKey> keys = signingKeys.stream().filter(k -> !k.keyId().equals(keyId)).toList();
    return new TrustDocument(version + 1, rootThreshold, roots, keys, r);
  }

  /** The next version with new roots and threshold (a root rotation). */
  public TrustDocument withRoots(List<VerifyingKey> newRoots, int threshold) {
    return new TrustDocument(version + 1, threshold, newRoots, signingKeys, revoked);
  }

  /** Signs this document with root keys; trust.json is the resulting envelope. */
  public Envelope sign(List<? extends Signer> rootSigners) {
    return Envelope.sign(PAYLOAD_TYPE, toJson(), rootSigners);
  }

  public byte[] toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", version);
    root.put("rootThreshold", rootThreshold);
    ArrayNode rs = root.putArray("roots");
    for (VerifyingKey k : roots) rs.addObject().put("keyid", k.keyId()).put("publicKey", k.base64());
    ArrayNode ss = root.putArray("signingKeys");
    for (TrustedKey k : signingKeys) {
      ss.addObject().put("keyid", k.keyId()).put("publicKey", k.publicKey().base64())
          .put("notBefore", k.notBefore().toString()).put("notAfter", k.notAfter().toString());
    }
    ArrayNode rv = root.putArray("revoked");
    revoked.forEach(rv::add);
    try {
      return Envelope.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Parses a payload; the caller has already checked who signed it (or is bootstrapping). */
  static TrustDocument parse(byte[] json) throws Rejection {
    JsonNode root;
    try {
      root = Envelope.JSON.readTree(json);
    } catch (IOException e) {
      throw new Rejection(RejectReason.MALFORMED, "the trust document is not JSON: " + Envelope.firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) throw new Rejection(RejectReason.MALFORMED, "the trust document is not a JSON object");
    Envelope.onlyFields(root, FIELDS, "the trust document");
    try {
      List<VerifyingKey> roots = new ArrayList<>();
      for (JsonNode k : array(root, "roots")) roots.add(key(k, Set.of("keyid", "publicKey")));
      List<TrustedKey> signing = new ArrayList<>();
      for (JsonNode k : array(root, "signingKeys")) {
        VerifyingKey key = key(k, Set.of("keyid", "publicKey", "notBefore", "notAfter"));
        signing.add(new TrustedKey(key, Instant.parse(Envelope.text(k, "notBefore", "a signing key")),
            Instant.parse(Envelope.text(k, "notAfter", "a signing key"))));
      }
      SortedSet<String> revoked = new TreeSet<>();
      for (JsonNode r : array(root, "revoked")) {
        if (!r.isTextual()) throw new Rejection(RejectReason.MALFORMED, "a revoked key id is not a string");
        revoked.add(r.asText());
      }
      return new TrustDocument(integer(root, "version"), integer(root, "rootThreshold"), roots, signing, revoked);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new Rejection(RejectReason.MALFORMED, "the trust document is invalid: " + e.getMessage());
    }
  }

  private static VerifyingKey key(JsonNode k, Set<String> fields) throws Rejection {
    if (!k.isObject()) throw new Rejection(RejectReason.MALFORMED, "a key is not an object");
    Envelope.onlyFields(k, fields, "a key");
    VerifyingKey key = new VerifyingKey(Envelope.base64(Envelope.text(k, "publicKey", "a key"), "a public key"));
    String keyid = Envelope.text(k, "keyid", "a key");
    if (!keyid.equals(key.keyId())) throw new Rejection(RejectReason.MALFORMED, "key id " + keyid + " is not the SHA-256 of its public key");
    return key;
  }

  private static JsonNode array(JsonNode root, String field) throws Rejection {
    JsonNode a = root.get(field);
    if (a == null || !a.isArray()) throw new Rejection(RejectReason.MALFORMED, "the trust document's " + field + " is missing or not an array");
    return a;
  }

  private static int integer(JsonNode root, String field) throws Rejection {
    JsonNode n = root.get(field);
    if (n == null || !n.isInt()) throw new Rejection(RejectReason.MALFORMED, "the trust document's " + field + " is missing or not an integer");
    return n.intValue();
  }
}
