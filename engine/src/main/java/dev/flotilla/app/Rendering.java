package dev.flotilla.app;

import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.KustomizeBinary;
import dev.flotilla.render.KustomizeCliRenderer;
import dev.flotilla.render.ProcessRunner;
import dev.flotilla.render.RenderCache;
import dev.flotilla.render.RenderException;
import java.nio.file.Path;
import java.time.Duration;

/** Builds the render pipeline: the kustomize binary, the CLI renderer, the on-disk cache. */
public final class Rendering {
  private Rendering() {}

  /** A renderer whose cache lives under {@code cacheDir}; {@code kustomize} may be null (look it up). */
  public static FleetRenderer renderer(String kustomize, Path cacheDir, int parallelism, Duration timeout)
      throws RenderException {
    ProcessRunner runner = new ProcessRunner();
    KustomizeBinary binary = KustomizeBinary.locate(kustomize, runner);
    KustomizeCliRenderer cli = new KustomizeCliRenderer(binary, runner, timeout);
    return new FleetRenderer(cli, RenderCache.onDisk(cacheDir), parallelism);
  }
}
