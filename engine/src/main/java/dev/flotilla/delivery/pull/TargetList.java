package dev.flotilla.delivery.pull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The body of {@code GET /api/v1/sites/{site}/bundles}: the current target of every app of the
 * site. Its own ETag is {@link #etag()}, which changes whenever any target does.
 */
public record TargetList(String site, List<Entry> bundles) {
  public TargetList {
    bundles = List.copyOf(bundles);
  }

  /** One app's target: its bundle is at {@code /api/v1/sites/{site}/bundles/{app}} under {@code etag} (quoted). */
  public record Entry(String app, long sequence, String revision, String etag, long size, Instant publishedAt) {}

  public static TargetList of(String site, List<PullTarget> targets) {
    return new TargetList(site, targets.stream()
        .map(t -> new Entry(t.app(), t.sequence(), t.revision(), t.quotedEtag(), t.size(), t.publishedAt())).toList());
  }

  /** The list's ETag (quoted): the apps' ETags, joined. */
  public String etag() {
    if (bundles.isEmpty()) return "\"empty\"";
    String joined = bundles.stream().map(e -> e.app() + "=" + e.etag()).collect(Collectors.joining(","));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
      return "\"list-" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
