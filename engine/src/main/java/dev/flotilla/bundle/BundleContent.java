package dev.flotilla.bundle;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What goes into one bundle: the release's identity for one site, its place in the site's sequence,
 * its validity, and the rendered manifests as files ({@code <app>.yaml} for the engine's output).
 */
public record BundleContent(
    String site, String app, String revision, long sequence, Instant issuedAt, Instant expiresAt,
    SortedMap<String, byte[]> manifests) {
  public BundleContent {
    if (manifests.isEmpty()) throw new IllegalArgumentException("a bundle holds at least one manifest file");
    manifests.keySet().forEach(ArchivePath::require);
    TreeMap<String, byte[]> copy = new TreeMap<>();
    manifests.forEach((k, v) -> copy.put(k, v.clone()));
    manifests = Collections.unmodifiableSortedMap(copy);
  }

  public BundleContent withManifests(SortedMap<String, byte[]> other) {
    return new BundleContent(site, app, revision, sequence, issuedAt, expiresAt, other);
  }
}
