package dev.flotilla.render;

import dev.flotilla.fleet.ByteSize;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one seam through which Flotilla runs external programs. It takes an argv list, never a shell
 * string, so nothing is ever interpreted by a shell.
 *
 * <p>Each process runs in a session and process group of its own ({@code setsid}), so that on
 * timeout the whole group is killed at once, grandchildren such as kustomize's {@code git fetch}
 * included, even those whose parent already exited. With a memory limit it runs under {@code
 * prlimit} (util-linux): {@code --data} bounds its heap, and {@code --fsize} bounds what it can
 * write to its stdout file. Output goes to temporary files rather than pipes: a chatty process can
 * never block on a full pipe, and a grandchild that keeps the output open cannot hold the caller
 * hostage. Stdout past the limit is an error; stderr is cut to its first bytes with a note of how
 * many more there were. Thread-safe.
 */
public final class ProcessRunner {
  private static final Duration POLL = Duration.ofMillis(50);

  private final String path;
  private final Optional<Path> setsid;
  private final Optional<Path> prlimit;
  private final Optional<Path> kill;

  /** The process ran past its timeout; it and its process group were killed. */
  public static final class TimedOut extends IOException {
    TimedOut(List<String> argv, Duration timeout) {
      super("timed out after " + timeout.toMillis() + " ms and was killed with its process group: "
          + String.join(" ", argv));
    }
  }

  /** The process wrote more to stdout than its limit allows; it was stopped. */
  public static final class TooMuchOutput extends IOException {
    TooMuchOutput(List<String> argv, long limit) {
      super("wrote more than " + ByteSize.format(limit) + " to stdout and was stopped (" + ProcessLimits.OUTPUT_ENV
          + "): " + String.join(" ", argv));
    }
  }

  /** Finds {@code setsid}, {@code prlimit} and {@code kill} on this process's PATH. */
  public ProcessRunner() {
    this(System.getenv());
  }

  /** Finds the helpers and programs on {@code env}'s PATH. */
  public ProcessRunner(Map<String, String> env) {
    this.path = env.getOrDefault("PATH", "");
    this.setsid = onPath("setsid");
    this.prlimit = onPath("prlimit");
    this.kill = onPath("kill");
  }

  public ProcessResult run(List<String> argv, Path workDir, Duration timeout) throws IOException {
    return run(argv, workDir, ProcessLimits.timeoutOnly(timeout));
  }

  /**
   * Runs {@code argv} in {@code workDir} within {@code limits}.
   *
   * @throws TimedOut after the timeout (the process group is gone)
   * @throws TooMuchOutput when stdout passes its limit
   * @throws IOException when the program cannot be run, or {@code prlimit} is needed and missing
   */
  public ProcessResult run(List<String> argv, Path workDir, ProcessLimits limits) throws IOException {
    if (argv.isEmpty()) throw new IllegalArgumentException("argv must name a program");
    List<String> command = wrap(argv, limits);
    Path out = Files.createTempFile("flotilla-proc-", ".out");
    Path err = Files.createTempFile("flotilla-proc-", ".err");
    try {
      Process process = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      int exit = await(process, argv, limits, out);
      // Past --fsize a write fails (Go reports "file too large" and exits 1) or SIGXFSZ stops the process.
      if (Files.size(out) > limits.outputBytes() || (exit != 0 && Files.size(out) >= limits.outputBytes())) {
        throw new TooMuchOutput(argv, limits.outputBytes());
      }
      return new ProcessResult(exit, read(out), readCut(err, limits.stderrShownBytes()));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private List<String> wrap(List<String> argv, ProcessLimits limits) throws IOException {
    List<String> command = new ArrayList<>();
    setsid.ifPresent(p -> command.add(p.toString()));
    if (limits.memoryBytes() > 0) {
      Path p = prlimit.orElseThrow(() -> new IOException("prlimit (from util-linux) is not on PATH, and it is needed"
          + " to bound the memory of " + argv.get(0) + "; install it (Debian/Ubuntu: apt-get install util-linux)"));
      command.add(p.toString());
      command.add("--data=" + limits.memoryBytes());
      command.add("--fsize=" + limits.outputBytes());
      command.add("--");
    }
    // Resolved here so a missing program is an IOException, as without the wrappers.
    command.add(command.isEmpty() ? argv.get(0) : resolve(argv.get(0)));
    command.addAll(argv.subList(1, argv.size()));
    return List.copyOf(command);
  }

  private String resolve(String program) throws IOException {
    if (program.contains(File.separator)) {
      if (Files.isExecutable(Path.of(program))) return program;
      throw new IOException("Cannot run program \"" + program + "\": not an executable file");
    }
    return onPath(program).map(Path::toString)
        .orElseThrow(() -> new IOException("Cannot run program \"" + program + "\": not found on PATH"));
  }

  private int await(Process process, List<String> argv, ProcessLimits limits, Path out) throws IOException {
    long deadline = System.nanoTime() + limits.timeout().toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          killGroup(process);
          throw new TimedOut(argv, limits.timeout());
        }
        if (process.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS)) {
          // Not the group now: the leader is reaped, and its id could already name someone else's group.
          return process.exitValue();
        }
        if (Files.size(out) > limits.outputBytes()) {
          killGroup(process); // without prlimit's --fsize nothing else stops it
          throw new TooMuchOutput(argv, limits.outputBytes());
        }
      }
    } catch (InterruptedException e) {
      killGroup(process);
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while running " + argv.get(0));
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  /**
   * SIGKILL to the process group (setsid made the process its leader, so its pid is the group's
   * id; the leader is still alive and unreaped here, so that id is still its group's), then to any
   * descendant still found through its parent (when there was no setsid).
   */
  private void killGroup(Process process) {
    if (setsid.isPresent() && kill.isPresent()) {
      try {
        Process k = new ProcessBuilder(kill.get().toString(), "-KILL", "--", "-" + process.pid())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        k.waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        // Fall through to killing the tree we can see.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<Path> onPath(String name) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      try {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
      } catch (InvalidPathException e) {
        // A malformed PATH entry holds nothing; the next ones still may.
      }
    }
    return Optional.empty();
  }

  private static String read(Path file) throws IOException {
    // Lenient decoding: a stray byte in a tool's output must not hide its message.
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  /** The first {@code shown} bytes, and a note of how many more there were. */
  static String readCut(Path file, int shown) throws IOException {
    long size = Files.size(file);
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes((int) Math.min(size, shown));
    }
    String text = new String(head, StandardCharsets.UTF_8);
    if (size <= shown) return text;
    return text + "\n… (" + (size - head.length) + " more bytes)";
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
