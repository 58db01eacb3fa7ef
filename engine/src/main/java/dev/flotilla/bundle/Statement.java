package dev.flotilla.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a bundle's signature vouches for: these manifests (by digest) are {@code app} at
 * {@code revision} for {@code site}, the {@code sequence}-th bundle of that site and app, valid from
 * {@code issuedAt} until {@code expiresAt}. Times are whole seconds in UTC.
 */
public record Statement(
    String site, String app, String revision, long sequence, Instant issuedAt, Instant expiresAt, String manifestsSha256) {

  /** The DSSE payload type of a bundle statement. */
  public static final String PAYLOAD_TYPE = "application/vnd.flotilla.bundle.v1+json";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> FIELDS =
      Set.of("site", "app", "revision", "sequence", "issuedAt", "expiresAt", "manifestsSha256");

  public Statement {
    require(site != null && NAME.matcher(site).matches(), "site must be a DNS-style name: " + site);
    require(app != null && NAME.matcher(app).matches(), "app must be a DNS-style name: " + app);
    require(revision != null && !revision.isBlank() && revision.length() <= 256, "revision must be set");
    require(sequence >= 1, "sequence must be at least 1");
    require(issuedAt != null && expiresAt != null, "issuedAt and expiresAt must be set");
    issuedAt = issuedAt.truncatedTo(ChronoUnit.SECONDS);
    expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    require(expiresAt.isAfter(issuedAt), "expiresAt must be after issuedAt");
    require(manifestsSha256 != null && SHA256.matcher(manifestsSha256).matches(), "manifestsSha256 must be 64 lower-case hex digits");
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }

  /** The payload bytes: compact JSON, fields in the documented order, so equal statements give equal bytes. */
  public byte[] toJson() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("site", site);
        g.writeStringField("app", app);
        g.writeStringField("revision", revision);
        g.writeNumberField("sequence", sequence);
        g.writeStringField("issuedAt", issuedAt.toString());
        g.writeStringField("expiresAt", expiresAt.toString());
        g.writeStringField("manifestsSha256", manifestsSha256);
        g.writeEndObject();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
  }

  /** Parses a payload whose signature has already been checked; anything unexpected is MALFORMED. */
  static Statement parse(byte[] json) throws Rejection {
    JsonNode root;
    try {
      root = Envelope.JSON.readTree(json);
    } catch (IOException e) {
      throw new Rejection(RejectReason.MALFORMED, "the statement is not JSON: " + Envelope.firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) throw new Rejection(RejectReason.MALFORMED, "the statement is not a JSON object");
    Envelope.onlyFields(root, FIELDS, "the statement");
    JsonNode seq = root.get("sequence");
    if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong()) {
      throw new Rejection(RejectReason.MALFORMED, "the statement's sequence is missing or not an integer");
    }
    try {
      return new Statement(
          Envelope.text(root, "site", "the statement"),
          Envelope.text(root, "app", "the statement"),
          Envelope.text(root, "revision", "the statement"),
          seq.longValue(),
          Instant.parse(Envelope.text(root, "issuedAt", "the statement")),
          Instant.parse(Envelope.text(root, "expiresAt", "the statement")),
          Envelope.text(root, "manifestsSha256", "the statement"));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new Rejection(RejectReason.MALFORMED, "the statement is invalid: " + e.getMessage());
    }
  }
}
