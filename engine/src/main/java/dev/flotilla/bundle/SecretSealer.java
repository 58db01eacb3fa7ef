package dev.flotilla.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Encrypts the {@code data} and {@code stringData} of every Kubernetes Secret in a bundle's YAML
 * files for one site, so that a bundle at rest (server, mirror, USB stick) does not leak them; the
 * agent opens them with the site's private key ({@link #open}). Other documents keep their bytes.
 *
 * <p>Sealing is deterministic, so a rebuilt bundle keeps its digest: the ephemeral key is an HMAC,
 * under the engine's sealing secret, of the Secret's identity and content. Equal Secrets therefore
 * seal equally for one site, which tells an observer only that a Secret did not change.
 */
public final class SecretSealer {
  static final String FIELD = "sealedData";
  private static final YAMLMapper YAML = new YAMLMapper();

  private final byte[] sealingSecret;

  /** {@code sealingSecret}: 32 secret bytes held by the engine, never sent anywhere. */
  public SecretSealer(byte[] sealingSecret) {
    if (sealingSecret.length != 32) throw new IllegalArgumentException("the sealing secret has 32 bytes");
    this.sealingSecret = sealingSecret.clone();
  }

  /** True when some YAML file holds a Secret with data, i.e. the bundle needs the site's public key. */
  public static boolean hasSecrets(SortedMap<String, byte[]> files) throws BundleException {
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      for (String doc : documents(f.getValue())) if (secretData(parse(f.getKey(), doc)) != null) return true;
    }
    return false;
  }

  public SortedMap<String, byte[]> seal(String site, SitePublicKey siteKey, SortedMap<String, byte[]> files) throws BundleException {
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      List<String> docs = documents(f.getValue());
      List<String> sealed = new ArrayList<>();
      boolean changed = false;
      for (String doc : docs) {
        JsonNode tree = parse(f.getKey(), doc);
        ObjectNode data = secretData(tree);
        if (data == null) {
          sealed.add(doc);
          continue;
        }
        sealed.add(write(sealOne(site, siteKey, (ObjectNode) tree, data)));
        changed = true;
      }
      out.put(f.getKey(), changed ? String.join("---\n", sealed).getBytes(StandardCharsets.UTF_8) : f.getValue());
    }
    return out;
  }

  private ObjectNode sealOne(String site, SitePublicKey siteKey, ObjectNode secret, ObjectNode data) {
    byte[] context = context(site, secret);
    byte[] plaintext = data.toString().getBytes(StandardCharsets.UTF_8);
    byte[] ephemeral = Hkdf.hmac(sealingSecret, concat(context, plaintext));
    SealedBox.Sealed s = SealedBox.seal(siteKey, ephemeral, context, plaintext);
    ObjectNode copy = secret.deepCopy();
    copy.remove("data");
    copy.remove("stringData");
    copy.putObject(FIELD)
        .put("algorithm", SealedBox.ALGORITHM)
        .put("recipient", siteKey.keyId())
        .put("ephemeralPublicKey", Base64.getEncoder().encodeToString(s.ephemeralPublicKey()))
        .put("ciphertext", Base64.getEncoder().encodeToString(s.ciphertext()));
    return copy;
  }

  /** At the site: puts every sealed Secret's {@code data} and {@code stringData} back. */
  public static SortedMap<String, byte[]> open(String site, SiteKey key, SortedMap<String, byte[]> files) throws BundleException {
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      List<String> opened = new ArrayList<>();
      boolean changed = false;
      for (String doc : documents(f.getValue())) {
        JsonNode tree = parse(f.getKey(), doc);
        if (!tree.isObject() || !tree.has(FIELD)) {
          opened.add(doc);
          continue;
        }
        opened.add(write(openOne(site, key, (ObjectNode) tree, f.getKey())));
        changed = true;
      }
      out.put(f.getKey(), changed ? String.join("---\n", opened).getBytes(StandardCharsets.UTF_8) : f.getValue());
    }
    return out;
  }

  private static ObjectNode openOne(String site, SiteKey key, ObjectNode secret, String file) throws BundleException {
    String where = file + ": Secret " + secret.path("metadata").path("namespace").asText("") + "/" + secret.path("metadata").path("name").asText("");
    JsonNode sealed = secret.get(FIELD);
    try {
      if (!SealedBox.ALGORITHM.equals(sealed.path("algorithm").asText())) throw new GeneralSecurityException("unknown algorithm " + sealed.path("algorithm"));
      byte[] plaintext = SealedBox.open(key, Base64.getDecoder().decode(sealed.path("ephemeralPublicKey").asText()), context(site, secret),
          Base64.getDecoder().decode(sealed.path("ciphertext").asText()));
      ObjectNode data = (ObjectNode) Envelope.JSON.readTree(plaintext);
      ObjectNode copy = secret.deepCopy();
      copy.remove(FIELD);
      copy.setAll(data);
      return copy;
    } catch (GeneralSecurityException | IllegalArgumentException | IOException | ClassCastException e) {
      throw new BundleException(where + " cannot be opened with site key " + key.publicKey().keyId() + " (not sealed for this site, or altered)", e);
    }
  }

  /** Binds a ciphertext to its site and object, so it cannot be moved to another Secret or site. */
  private static byte[] context(String site, JsonNode secret) {
    JsonNode meta = secret.path("metadata");
    return ("flotilla-secret-v1\0" + site + "\0" + meta.path("namespace").asText("") + "\0" + meta.path("name").asText(""))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code data} and {@code stringData} of a v1 Secret that has any, with keys sorted; null for anything else. */
  private static ObjectNode secretData(JsonNode doc) {
    if (doc == null || !doc.isObject() || !"Secret".equals(doc.path("kind").asText()) || !"v1".equals(doc.path("apiVersion").asText())) {
      return null;
    }
    ObjectNode data = Envelope.JSON.createObjectNode();
    for (String field : List.of("data", "stringData")) {
      JsonNode v = doc.get(field);
      if (v != null && v.isObject() && !v.isEmpty()) data.set(field, sorted(v));
    }
    return data.isEmpty() ? null : data;
  }

  private static ObjectNode sorted(JsonNode map) {
    ObjectNode out = Envelope.JSON.createObjectNode();
    TreeMap<String, JsonNode> entries = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      entries.put(e.getKey(), e.getValue());
    }
    entries.forEach(out::set);
    return out;
  }

  /** The documents of a multi-document YAML stream, split at lines that are exactly {@code ---}. */
  static List<String> documents(byte[] yaml) {
    String text = new String(yaml, StandardCharsets.UTF_8);
    List<String> docs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("(?<=\n)")) {
      if (line.equals("---\n") || line.equals("---")) {
        if (current.length() > 0) docs.add(current.toString());
        current.setLength(0);
      } else {
        current.append(line);
      }
    }
    if (current.length() > 0) docs.add(current.toString());
    return docs;
  }

  private static JsonNode parse(String file, String doc) throws BundleException {
    try {
      return YAML.readTree(doc);
    } catch (IOException e) {
      throw new BundleException(file + " is not YAML", e);
    }
  }

  private static String write(JsonNode doc) throws BundleException {
    try {
      String yaml = YAML.writeValueAsString(doc);
      return yaml.startsWith("---\n") ? yaml.substring(4) : yaml;
    } catch (IOException e) {
      throw new BundleException("cannot write a sealed Secret", e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + 1 + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length + 1, b.length);
    return out;
  }
}
