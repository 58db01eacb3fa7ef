package dev.flotilla.cli;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * The terminal's width in columns, so that lines redrawn in place never wrap: a wrapped line takes
 * two rows, and moving the cursor up by the number of lines would then land too low.
 */
final class TerminalWidth {
  static final int FALLBACK = 120;

  private TerminalWidth() {}

  static int detect() {
    String columns = System.getenv("COLUMNS");
    if (columns != null && columns.matches("\\d+")) return Integer.parseInt(columns);
    try {
      Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty")).redirectErrorStream(true).start();
      if (!stty.waitFor(2, TimeUnit.SECONDS)) {
        stty.destroyForcibly();
        return FALLBACK;
      }
      String[] rowsCols = new String(stty.getInputStream().readAllBytes()).trim().split("\\s+");
      return rowsCols.length == 2 && rowsCols[1].matches("\\d+") ? Integer.parseInt(rowsCols[1]) : FALLBACK;
    } catch (Exception e) {
      return FALLBACK; // no terminal to ask: keep lines at a width most terminals show whole
    }
  }

  /** The line cut to fit {@code width} columns (one column spare, so the cursor never wraps). */
  static String fit(String line, int width) {
    return line.length() < width ? line : line.substring(0, Math.max(0, width - 2)) + "…";
  }
}
