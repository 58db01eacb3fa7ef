package dev.flotilla.fleet;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations as Kubernetes users write them: {@code 90s}, {@code 10m}, {@code 1h30m}; at
 * most {@link #MAX} (87600h, ten years), so that adding one to any instant the engine meets stays a
 * valid instant.
 */
public final class Durations {
  public static final Duration MAX = Duration.ofHours(87_600);
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:h|ms|m|s))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(h|ms|m|s)");

  private Durations() {}

  public static Duration parse(String text) {
    String t = text.trim();
    if (t.equals("0")) return Duration.ZERO;
    if (!WHOLE.matcher(t).matches()) {
      throw new IllegalArgumentException("expected a duration such as 30s, 10m or 1h30m, got '" + Names.shorten(text) + "'");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(t);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total = total.plus(switch (m.group(2)) {
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMillis(n);
        });
        if (total.compareTo(MAX) > 0) throw new ArithmeticException("past the maximum");
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + Names.shorten(text) + "' is too long: a duration is at most "
          + format(MAX) + " (ten years)");
    }
    return total;
  }

  /** The inverse of {@link #parse}, shortest form. */
  public static String format(Duration d) {
    if (d.isZero()) return "0s";
    StringBuilder b = new StringBuilder();
    long h = d.toHours();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    int ms = d.toMillisPart();
    if (h > 0) b.append(h).append('h');
    if (m > 0) b.append(m).append('m');
    if (s > 0) b.append(s).append('s');
    if (ms > 0) b.append(ms).append("ms");
    return b.toString();
  }
}
