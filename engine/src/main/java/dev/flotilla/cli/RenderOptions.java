package dev.flotilla.cli;

import dev.flotilla.app.Rendering;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the commands that run kustomize. */
final class RenderOptions {
  @Option(names = "--kustomize", paramLabel = "PATH",
      description = "kustomize or kubectl binary (default: $FLOTILLA_KUSTOMIZE, else kustomize on PATH, else kubectl kustomize).")
  String kustomize;

  @Option(names = "--parallelism", paramLabel = "N", description = "kustomize calls at once (default: number of cores).")
  int parallelism = Runtime.getRuntime().availableProcessors();

  @Option(names = "--render-timeout", paramLabel = "SECONDS", description = "Timeout of one kustomize call (default: 60).")
  int timeoutSeconds = 60;

  FleetRenderer renderer(Path cacheDir) throws RenderException {
    return Rendering.renderer(kustomize, cacheDir, parallelism, Duration.ofSeconds(timeoutSeconds));
  }
}
