package dev.flotilla.render;

import java.time.Duration;
import java.util.Objects;

/**
 * What one fleet render did: how many distinct overlays it needed, how many of them kustomize
 * built (the rest came from the cache), how many (site, app) pairs it stamped (the others were
 * unchanged since the renderer's last render and only got the new revision), and how long the
 * whole render took.
 */
public record RenderStats(int overlays, int kustomizeCalls, int cacheHits, int stamped, Duration elapsed) {
  public RenderStats {
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
