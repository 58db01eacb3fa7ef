package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
  private final ProcessRunner runner = new ProcessRunner();

  @TempDir Path dir;

  @Test
  void returnsExitCodeStdoutAndStderrSeparately() throws Exception {
    ProcessResult result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), dir, TEN_SECONDS);

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.succeeded()).isFalse();
  }

  @Test
  void passesArgumentsVerbatimWithoutAShell() throws Exception {
    ProcessResult result = runner.run(List.of("printf", "%s|", "a b", "$HOME", "*"), dir, TEN_SECONDS);

    assertThat(result.stdout()).isEqualTo("a b|$HOME|*|");
  }

  @Test
  void runsInTheGivenWorkingDirectory() throws Exception {
    Files.writeString(dir.resolve("marker.txt"), "here");

    ProcessResult result = runner.run(List.of("cat", "marker.txt"), dir, TEN_SECONDS);

    assertThat(result.stdout()).isEqualTo("here");
  }

  @Test
  void largeOutputOnBothStreamsDoesNotDeadlock() throws Exception {
    String script = "yes stdout-line | head -n 400000; yes stderr-line | head -n 400000 >&2";

    ProcessResult result = runner.run(List.of("sh", "-c", script), dir, Duration.ofSeconds(30));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).hasSize(400_000 * "stdout-line\n".length());
    // stderr is cut to its first 8 KiB, with a note of how much more there was.
    assertThat(result.stderr()).startsWith("stderr-line\n")
        .endsWith("\n… (" + (400_000 * "stderr-line\n".length() - 8192) + " more bytes)");
  }

  @Test
  void anOrphanedGrandchildIsKilledWithTheProcessGroupOnTimeout() throws Exception {
    Path pidFile = dir.resolve("orphan.pid");
    // The subshell exits at once, so the sleep is re-parented and no longer a descendant.
    List<String> argv = List.of("sh", "-c", "(sleep 30 & echo $! > orphan.pid); sleep 30");

    assertThatThrownBy(() -> runner.run(argv, dir, Duration.ofSeconds(1))).isInstanceOf(ProcessRunner.TimedOut.class);

    long orphan = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(gone(orphan, Duration.ofSeconds(5))).as("the orphaned sleep was killed with its group").isTrue();
  }

  @Test
  void aProcessPastItsMemoryLimitFails() throws Exception {
    ProcessLimits limits = new ProcessLimits(TEN_SECONDS, 64L << 20, 1L << 20, 8192);
    // The shell holds the command substitution's 200 MB in memory; it dies at 64 MiB.
    List<String> argv = List.of("sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo allocated");

    ProcessResult result = runner.run(argv, dir, limits);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.stdout()).doesNotContain("allocated");
  }

  @Test
  void stdoutPastItsLimitStopsTheProcess() {
    ProcessLimits limits = new ProcessLimits(TEN_SECONDS, 64L << 20, 1L << 20, 8192);

    long start = System.nanoTime();
    assertThatThrownBy(() -> runner.run(List.of("sh", "-c", "yes | head -c 50000000"), dir, limits))
        .isInstanceOf(ProcessRunner.TooMuchOutput.class)
        .hasMessageStartingWith("wrote more than 1 MiB to stdout and was stopped (FLOTILLA_KUSTOMIZE_OUTPUT)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aMemoryLimitWithoutPrlimitIsAnErrorThatSaysHowToInstallIt() {
    ProcessRunner withoutPrlimit = new ProcessRunner(java.util.Map.of("PATH", dir.toString()));
    ProcessLimits limits = new ProcessLimits(TEN_SECONDS, 64L << 20, 1L << 20, 8192);

    assertThatThrownBy(() -> withoutPrlimit.run(List.of("/bin/true"), dir, limits))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("prlimit (from util-linux) is not on PATH")
        .hasMessageContaining("apt-get install util-linux");
  }

  @Test
  void processPastItsTimeoutIsKilledWithItsDescendants() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    List<String> argv = List.of("sh", "-c", "sleep 30 & echo $! > child.pid; wait");

    long start = System.nanoTime();
    assertThatThrownBy(() -> runner.run(argv, dir, Duration.ofSeconds(1)))
        .isInstanceOf(ProcessRunner.TimedOut.class)
        .hasMessageContaining("timed out after 1000 ms");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    long childPid = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(gone(childPid, Duration.ofSeconds(5))).as("the backgrounded sleep was killed").isTrue();
  }

  /** A SIGKILL lands asynchronously, so the child may take a moment to disappear. */
  private static boolean gone(long pid, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) return true;
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void missingProgramFailsWithAnIoException() {
    assertThatThrownBy(() -> runner.run(List.of("no-such-program-flotilla"), dir, TEN_SECONDS))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("no-such-program-flotilla");
  }
}
