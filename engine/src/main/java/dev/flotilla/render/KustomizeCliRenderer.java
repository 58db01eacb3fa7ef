package dev.flotilla.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The render port through the kustomize command line ({@code kustomize build} or {@code kubectl
 * kustomize}), run within {@link ProcessLimits}: a timeout after which its whole process group is
 * killed, a memory limit, bounded stdout and stderr cut for messages. Plugins and Helm stay off
 * (no {@code --enable-*} flag is ever passed).
 */
public final class KustomizeCliRenderer implements Renderer {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final KustomizeBinary binary;
  private final ProcessRunner runner;
  private final ProcessLimits limits;
  private final AtomicInteger calls = new AtomicInteger();

  public KustomizeCliRenderer(KustomizeBinary binary, ProcessRunner runner) {
    this(binary, runner, DEFAULT_TIMEOUT);
  }

  /** With the memory and output limits of this process's environment ({@link ProcessLimits#forKustomize}). */
  public KustomizeCliRenderer(KustomizeBinary binary, ProcessRunner runner, Duration timeout) {
    this(binary, runner, ProcessLimits.forKustomize(timeout, System.getenv()));
  }

  public KustomizeCliRenderer(KustomizeBinary binary, ProcessRunner runner, ProcessLimits limits) {
    this.binary = binary;
    this.runner = runner;
    this.limits = limits;
  }

  @Override
  public String build(Path overlayDir, String app, String overlayRelPath) throws RenderException {
    if (!Files.isDirectory(overlayDir)) {
      throw new RenderException("the overlay folder " + overlayDir + " does not exist", app, overlayRelPath, null, null);
    }
    calls.incrementAndGet();
    ProcessResult result;
    try {
      result = runner.run(binary.buildArgv(overlayDir), overlayDir, limits);
    } catch (IOException e) {
      throw RenderException.couldNotRun("could not run " + binary, app, overlayRelPath, e);
    }
    if (!result.succeeded()) {
      throw RenderException.kustomizeFailed(app, overlayRelPath, result.exitCode(), result.stderr(), memoryNote(result));
    }
    return result.stdout();
  }

  /** Go says "out of memory" or "cannot allocate memory" when the data limit stops it. */
  private String memoryNote(ProcessResult result) {
    String err = result.stderr();
    if (limits.memoryBytes() > 0 && (err.contains("out of memory") || err.contains("cannot allocate memory"))) {
      return "kustomize ran out of its memory limit of " + dev.flotilla.fleet.ByteSize.format(limits.memoryBytes())
          + " (" + ProcessLimits.MEMORY_ENV + "; an alias bomb in a resource?)";
    }
    return null;
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
