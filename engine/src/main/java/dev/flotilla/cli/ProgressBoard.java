package dev.flotilla.cli;

import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.RolloutView.WaveView;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows a rollout's live progress: one line per wave with a bar of its sites (done, updating,
 * failed, pending while offline, pending) and the gate it waits on. On a terminal the board is
 * redrawn in place; when the output is piped, a board is printed only when it changed, as plain
 * lines, so logs stay readable.
 */
final class ProgressBoard {
  static final int BAR = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final int width;
  private List<String> shown = List.of();

  ProgressBoard(PrintStream out, boolean terminal) {
    this(out, terminal, terminal ? TerminalWidth.detect() : Integer.MAX_VALUE);
  }

  ProgressBoard(PrintStream out, boolean terminal, int width) {
    this.out = out;
    this.terminal = terminal;
    this.width = width;
  }

  void show(RolloutView rollout) {
    List<String> lines = lines(rollout);
    if (lines.equals(shown)) return;
    if (terminal && !shown.isEmpty()) {
      out.print("\u001b[" + shown.size() + "F"); // cursor to the start of the board
    }
    for (String line : lines) {
      out.print(terminal ? TerminalWidth.fit(line, width) + "\u001b[K\n" : line + "\n");
    }
    if (!terminal) out.println();
    out.flush();
    shown = lines;
  }

  static List<String> lines(RolloutView r) {
    List<String> lines = new ArrayList<>();
    lines.add("rollout " + r.id() + "  " + r.app() + "@" + shortId(r.revision()) + "  " + r.kind().toLowerCase()
        + "  " + r.state() + (r.reason() == null || r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
    int width = r.waves().stream().mapToInt(w -> w.name().length()).max().orElse(4);
    for (int i = 0; i < r.waves().size(); i++) {
      WaveView w = r.waves().get(i);
      String marker = i == r.currentWave() && isActive(r.state()) ? ">" : " ";
      lines.add(marker + " " + pad(w.name(), width) + " " + bar(w) + " " + counts(w)
          + (w.gate() == null || w.gate().isEmpty() ? "" : "  waiting: " + w.gate()));
    }
    // Ids, reasons and gates come from the server and the fleet repo: no control character reaches the terminal.
    return lines.stream().map(SafeText::of).toList();
  }

  static String bar(WaveView w) {
    if (w.total() == 0) return "[" + " ".repeat(BAR) + "]";
    StringBuilder b = new StringBuilder("[");
    int[] counts = {w.done(), w.failed(), w.updating(), w.offline()};
    char[] marks = {'#', 'x', '~', 'o'};
    int used = 0;
    for (int k = 0; k < counts.length; k++) {
      int n = (int) Math.round((double) counts[k] * BAR / w.total());
      if (counts[k] > 0 && n == 0) n = 1; // a failure or an update in flight is always visible
      n = Math.min(n, BAR - used);
      b.append(String.valueOf(marks[k]).repeat(n));
      used += n;
    }
    b.append(".".repeat(BAR - used)).append(']');
    return b.toString();
  }

  private static String counts(WaveView w) {
    StringBuilder s = new StringBuilder().append(w.done()).append('/').append(w.total()).append(" done");
    if (w.updating() > 0) s.append(", ").append(w.updating()).append(" updating");
    if (w.failed() > 0) s.append(", ").append(w.failed()).append(" failed");
    if (w.offline() > 0) s.append(", ").append(w.offline()).append(" pending offline");
    return s.toString();
  }

  private static boolean isActive(String state) {
    return state.equals("RUNNING") || state.equals("PAUSED") || state.equals("HELD");
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  static String shortId(String revision) {
    return revision != null && revision.length() > 12 ? revision.substring(0, 12) : String.valueOf(revision);
  }
}
