package dev.flotilla.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The render port through the kustomize command line ({@code kustomize build} or {@code kubectl kustomize}). */
public final class KustomizeCliRenderer implements Renderer {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final KustomizeBinary binary;
  private final ProcessRunner runner;
  private final Duration timeout;
  private final AtomicInteger calls = new AtomicInteger();

  public KustomizeCliRenderer(KustomizeBinary binary, ProcessRunner runner) {
    this(binary, runner, DEFAULT_TIMEOUT);
  }

  public KustomizeCliRenderer(KustomizeBinary binary, ProcessRunner runner, Duration timeout) {
    this.binary = binary;
    this.runner = runner;
    this.timeout = timeout;
  }

  @Override
  public String build(Path overlayDir, String app, String overlayRelPath) throws RenderException {
    if (!Files.isDirectory(overlayDir)) {
      throw new RenderException("the overlay folder " + overlayDir + " does not exist", app, overlayRelPath, null, null);
    }
    calls.incrementAndGet();
    ProcessResult result;
    try {
      result = runner.run(binary.buildArgv(overlayDir), overlayDir, timeout);
    } catch (IOException e) {
      throw RenderException.couldNotRun("could not run " + binary, app, overlayRelPath, e);
    }
    if (!result.succeeded()) {
      throw RenderException.kustomizeFailed(app, overlayRelPath, result.exitCode(), result.stderr());
    }
    return result.stdout();
  }

  @Override
  public String fingerprint() throws RenderException {
    return binary.version();
  }

  /** How many builds this renderer has run (or tried to run) since it was made. */
  public int calls() {
    return calls.get();
  }
}
