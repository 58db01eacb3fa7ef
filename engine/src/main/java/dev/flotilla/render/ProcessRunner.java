package dev.flotilla.render;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one seam through which Flotilla runs external programs. It takes an argv list, never a shell
 * string, so nothing is ever interpreted by a shell. Output goes to temporary files rather than
 * pipes: a chatty process can never block on a full pipe, and a grandchild that keeps the output
 * open after its parent exits cannot hold the caller hostage. On timeout the whole process tree is
 * killed. Stateless and thread-safe.
 */
public final class ProcessRunner {

  /** The process ran past its timeout; it and its descendants were killed. */
  public static final class TimedOut extends IOException {
    TimedOut(List<String> argv, Duration timeout) {
      super("timed out after " + timeout.toMillis() + " ms and was killed: " + String.join(" ", argv));
    }
  }

  public ProcessResult run(List<String> argv, Path workDir, Duration timeout) throws IOException {
    if (argv.isEmpty()) throw new IllegalArgumentException("argv must name a program");
    Path out = Files.createTempFile("flotilla-proc-", ".out");
    Path err = Files.createTempFile("flotilla-proc-", ".err");
    try {
      Process process = new ProcessBuilder(List.copyOf(argv))
          .directory(workDir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      int exit = await(process, argv, timeout);
      return new ProcessResult(exit, read(out), read(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static int await(Process process, List<String> argv, Duration timeout) throws IOException {
    try {
      if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) return process.exitValue();
      killTree(process);
      throw new TimedOut(argv, timeout);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while running " + argv.get(0));
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  /** Descendants first, while they can still be found through their parent. */
  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path file) throws IOException {
    // Lenient decoding: a stray byte in a tool's output must not hide its message.
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
