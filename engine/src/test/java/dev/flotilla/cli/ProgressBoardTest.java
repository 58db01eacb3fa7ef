package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.RolloutView.WaveView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBoardTest {
  private static WaveView wave(String name, int total, int done, int updating, int failed, int offline, String gate) {
    return new WaveView(name, "UPDATING", total, done, updating, failed, total - done - updating - failed - offline, offline,
        gate, null, null);
  }

  private static RolloutView rollout(List<WaveView> waves) {
    return new RolloutView("r-1", "pos", "0123456789abcdef0123456789abcdef01234567", "RELEASE", "RUNNING", "", 1,
        Instant.EPOCH, null, waves, List.of());
  }

  @Test
  void barShowsEachStatusInProportion() {
    assertThat(ProgressBoard.bar(wave("w", 30, 15, 3, 0, 6, null))).isEqualTo("[" + "#".repeat(15) + "~~~" + "o".repeat(6) + "......]");
  }

  @Test
  void aSingleFailureIsAlwaysVisible() {
    assertThat(ProgressBoard.bar(wave("w", 1000, 0, 0, 1, 0, null))).contains("x");
  }

  @Test
  void oneLinePerWaveWithCountsAndTheGateItWaitsOn() {
    List<String> lines = ProgressBoard.lines(rollout(List.of(
        wave("canary", 4, 4, 0, 0, 0, null), wave("stores", 24, 10, 4, 1, 2, "window store-night"))));

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("pos@0123456789ab", "RUNNING");
    assertThat(lines.get(1)).startsWith("  canary ").contains("4/4 done");
    assertThat(lines.get(2)).startsWith("> stores ")
        .contains("10/24 done, 4 updating, 1 failed, 2 pending offline", "waiting: window store-night");
  }

  @Test
  void pipedOutputPrintsPlainLinesOnlyWhenSomethingChanged() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBoard board = new ProgressBoard(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    RolloutView r = rollout(List.of(wave("canary", 4, 1, 1, 0, 0, null)));

    board.show(r);
    board.show(r);

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\u001b[");
    assertThat(out.lines().filter(l -> l.contains("canary")).count()).isEqualTo(1);
  }

  @Test
  void terminalLinesAreCutToTheTerminalWidthSoTheyNeverWrap() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBoard board = new ProgressBoard(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 60);

    board.show(rollout(List.of(wave("canary", 4, 1, 1, 0, 0, "wave canary: gate soak: healthy for 3m of 30m"))));

    assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n"))
        .allSatisfy(line -> assertThat(line.replace("\u001b[K", "").replaceAll("\u001b\\[\\d+F", "")).hasSizeLessThan(60));
  }

  @Test
  void terminalOutputRedrawsInPlace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBoard board = new ProgressBoard(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 200);

    board.show(rollout(List.of(wave("canary", 4, 1, 1, 0, 0, null))));
    board.show(rollout(List.of(wave("canary", 4, 2, 1, 0, 0, null))));

    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("\u001b[2F");
  }
}
