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
    assertThat(result.stderr()).hasSize(400_000 * "stderr-line\n".length());
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
