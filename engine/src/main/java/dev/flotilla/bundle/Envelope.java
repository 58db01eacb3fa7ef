package dev.flotilla.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A DSSE envelope: a payload, its type and signatures over {@link Pae#encode}. Written as
 * {@code {"payload","payloadType","signatures":[{"keyid","sig"}]}} with standard base64, in that
 * order, compact, with one newline at the end, so the same envelope always gives the same bytes.
 */
public record Envelope(String payloadType, byte[] payload, List<Signature> signatures) {
  /** One signature; {@code keyid} is a hint for finding the key, never a reason to trust it. */
  public record Signature(String keyid, byte[] sig) {
    public Signature {
      keyid = keyid == null ? "" : keyid;
      sig = sig.clone();
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && keyid.equals(s.keyid) && Arrays.equals(sig, s.sig);
    }

    @Override
    public int hashCode() {
      return keyid.hashCode() * 31 + Arrays.hashCode(sig);
    }
  }

  static final int MAX_SIGNATURES = 16;

  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  public Envelope {
    payload = payload.clone();
    signatures = List.copyOf(signatures);
  }

  /** Signs {@code payload} of {@code payloadType} with each signer, in order. */
  public static Envelope sign(String payloadType, byte[] payload, List<? extends Signer> signers) {
    byte[] pae = Pae.encode(payloadType, payload);
    List<Signature> sigs = new ArrayList<>();
    for (Signer s : signers) sigs.add(new Signature(s.keyId(), s.sign(pae)));
    return new Envelope(payloadType, payload, sigs);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The bytes every signature covers. */
  public byte[] pae() {
    return Pae.encode(payloadType, payload);
  }

  public Envelope withSignatures(List<Signature> other) {
    return new Envelope(payloadType, payload, other);
  }

  public byte[] toJson() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("payload", Base64.getEncoder().encodeToString(payload));
        g.writeStringField("payloadType", payloadType);
        g.writeArrayFieldStart("signatures");
        for (Signature s : signatures) {
          g.writeStartObject();
          g.writeStringField("keyid", s.keyid());
          g.writeStringField("sig", Base64.getEncoder().encodeToString(s.sig));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      out.write('\n');
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
  }

  /**
   * Reads an envelope strictly: exactly the three fields, strings where strings belong, base64
   * (standard or URL-safe, as DSSE allows), no duplicate keys. Does not look inside the payload.
   */
  static Envelope parse(byte[] json) throws Rejection {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new Rejection(RejectReason.MALFORMED, "envelope.json is not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) throw new Rejection(RejectReason.MALFORMED, "envelope.json is not a JSON object");
    onlyFields(root, Set.of("payload", "payloadType", "signatures"), "envelope");
    String type = text(root, "payloadType", "envelope");
    byte[] payload = base64(text(root, "payload", "envelope"), "envelope payload");
    JsonNode sigs = root.get("signatures");
    if (sigs == null || !sigs.isArray() || sigs.isEmpty()) {
      throw new Rejection(RejectReason.MALFORMED, "envelope has no signatures array");
    }
    // Each signature is tried against every trusted key: bound the work an envelope can ask for.
    if (sigs.size() > MAX_SIGNATURES) {
      throw new Rejection(RejectReason.MALFORMED, "envelope has " + sigs.size() + " signatures, at most " + MAX_SIGNATURES + " allowed");
    }
    List<Signature> out = new ArrayList<>();
    for (JsonNode s : sigs) {
      if (!s.isObject()) throw new Rejection(RejectReason.MALFORMED, "a signature is not an object");
      onlyFields(s, Set.of("keyid", "sig"), "signature");
      JsonNode keyid = s.get("keyid");
      if (keyid != null && !keyid.isTextual()) throw new Rejection(RejectReason.MALFORMED, "a signature's keyid is not a string");
      out.add(new Signature(keyid == null ? "" : keyid.asText(), base64(text(s, "sig", "signature"), "signature")));
    }
    return new Envelope(type, payload, out);
  }

  static void onlyFields(JsonNode node, Set<String> allowed, String what) throws Rejection {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) throw new Rejection(RejectReason.MALFORMED, what + " has an unknown field '" + f + "'");
    }
  }

  static String text(JsonNode node, String field, String what) throws Rejection {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) throw new Rejection(RejectReason.MALFORMED, what + " field '" + field + "' is missing or not a string");
    return v.asText();
  }

  static byte[] base64(String text, String what) throws Rejection {
    try {
      return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(text)
          : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new Rejection(RejectReason.MALFORMED, what + " is not base64");
    }
  }

  static String firstLine(String message) {
    if (message == null) return "";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e && payloadType.equals(e.payloadType) && Arrays.equals(payload, e.payload)
        && signatures.equals(e.signatures);
  }

  @Override
  public int hashCode() {
    return payloadType.hashCode() * 31 + Arrays.hashCode(payload);
  }
}
