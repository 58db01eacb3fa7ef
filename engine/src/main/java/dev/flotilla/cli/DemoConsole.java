package dev.flotilla.cli;

import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.demo.DemoOutput;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The interactive demo's terminal: story steps, event lines stamped with the demo clock, and a
 * {@link ProgressBoard} per rollout shown. On a terminal the boards stay at the bottom and are
 * redrawn in place, with event lines scrolling above them; when the output is piped every board is
 * printed as plain lines when it changed.
 */
final class DemoConsole implements DemoOutput {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE dd MMM HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final PrintStream out;
  private final boolean terminal;
  private final int width;
  private final Map<String, ProgressBoard> boards = new LinkedHashMap<>();
  private final Map<String, List<String>> latest = new LinkedHashMap<>();
  private int drawnHeight;

  DemoConsole(PrintStream out, boolean terminal) {
    this.width = terminal ? TerminalWidth.detect() : Integer.MAX_VALUE;
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void step(String line) {
    drawnHeight = 0; // the boards shown so far stay where they are, above the new step
    out.println();
    out.println("== " + line);
    out.flush();
  }

  @Override
  public void event(Instant at, String line) {
    String text = "[" + TIME.format(at) + "] " + line;
    if (!terminal) {
      out.println(text);
      return;
    }
    moveToBoards();
    out.print(text + "\u001b[K\n");
    drawnHeight = 0;
    redraw();
  }

  @Override
  public void progress(RolloutView rollout) {
    if (!terminal) {
      boards.computeIfAbsent(rollout.id(), id -> new ProgressBoard(out, false)).show(rollout);
      return;
    }
    List<String> lines = ProgressBoard.lines(rollout);
    if (lines.equals(latest.get(rollout.id()))) return;
    latest.put(rollout.id(), lines);
    moveToBoards();
    redraw();
  }

  private void moveToBoards() {
    if (drawnHeight > 0) out.print("\u001b[" + drawnHeight + "F");
  }

  private void redraw() {
    int height = 0;
    for (List<String> lines : latest.values()) {
      for (String line : lines) out.print(TerminalWidth.fit(line, width) + "\u001b[K\n");
      height += lines.size();
    }
    drawnHeight = height;
    out.flush();
  }
}
