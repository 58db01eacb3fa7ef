package dev.flotilla.render;

import dev.flotilla.fleet.ByteSize;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one external process may use: wall time, memory (its data segment, which holds a Go
 * program's heap), output on stdout, and how much of its stderr is kept for messages.
 *
 * @param timeout the process and its whole process group are killed after this long
 * @param memoryBytes the data-segment limit ({@code RLIMIT_DATA}, through {@code prlimit}); 0 for none
 * @param outputBytes the most stdout may hold; more is an error (and, with {@code prlimit}, the
 *     process is stopped by the kernel as it writes past it)
 * @param stderrShownBytes how much of stderr's beginning is kept; the rest is counted, not kept
 */
public record ProcessLimits(Duration timeout, long memoryBytes, long outputBytes, int stderrShownBytes) {
  public static final String MEMORY_ENV = "FLOTILLA_KUSTOMIZE_MEMORY";
  public static final String OUTPUT_ENV = "FLOTILLA_KUSTOMIZE_OUTPUT";
  /** Real overlays build in under 100 MiB; a billion-laughs build stops here within seconds. */
  public static final long DEFAULT_MEMORY = 512L << 20;
  /** Far above any real overlay's output (a 10,000-object overlay is a few MiB). */
  public static final long DEFAULT_OUTPUT = 64L << 20;
  public static final int DEFAULT_STDERR_SHOWN = 8 << 10;

  public ProcessLimits {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    if (memoryBytes < 0 || outputBytes < 1 || stderrShownBytes < 0) {
      throw new IllegalArgumentException("process limits must be positive");
    }
  }

  /** Only a timeout: no memory limit, output up to 1 GiB, 8 KiB of stderr kept. */
  public static ProcessLimits timeoutOnly(Duration timeout) {
    return new ProcessLimits(timeout, 0, 1L << 30, DEFAULT_STDERR_SHOWN);
  }

  /**
   * The limits for kustomize: {@value #MEMORY_ENV} (default 512Mi) and {@value #OUTPUT_ENV}
   * (default 64Mi) from {@code env} when set.
   *
   * @throws IllegalArgumentException naming the variable when one is not a size
   */
  public static ProcessLimits forKustomize(Duration timeout, Map<String, String> env) {
    return new ProcessLimits(timeout, size(env, MEMORY_ENV, DEFAULT_MEMORY), size(env, OUTPUT_ENV, DEFAULT_OUTPUT),
        DEFAULT_STDERR_SHOWN);
  }

  private static long size(Map<String, String> env, String name, long defaultValue) {
    String text = env.get(name);
    if (text == null || text.isBlank()) return defaultValue;
    try {
      return ByteSize.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }
}
