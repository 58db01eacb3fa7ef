package dev.flotilla.delivery.pull;

import java.time.Instant;
import java.util.Objects;

/**
 * What a pull site should run for one app: the bundle of {@code sequence}, made of {@code revision}
 * for {@code rolloutId}. {@code etag} names the bundle's bytes ({@code "<sequence>-<statement
 * sha256, 16 hex>"}) and is what agents send back in {@code If-None-Match}.
 */
public record PullTarget(String site, String app, long sequence, String revision, String rolloutId, String etag, long size,
    Instant publishedAt) {
  public PullTarget {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(publishedAt, "publishedAt");
    if (sequence < 1) throw new IllegalArgumentException("sequence must be at least 1, got " + sequence);
  }

  /** The ETag as an HTTP header value (quoted). */
  public String quotedEtag() {
    return "\"" + etag + "\"";
  }
}
