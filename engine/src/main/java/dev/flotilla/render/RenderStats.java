package dev.flotilla.render;

import java.time.Duration;
import java.util.Objects;

/**
 * What one fleet render did: how many distinct overlays it needed, how many of them kustomize
 * built (the rest came from the cache), and how long the whole render took.
 */
public record RenderStats(int overlays, int kustomizeCalls, int cacheHits, Duration elapsed) {
  public RenderStats {
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
