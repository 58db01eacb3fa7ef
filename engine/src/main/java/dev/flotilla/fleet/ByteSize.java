package dev.flotilla.fleet;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as Kubernetes writes them ({@code 512Ki}, {@code 4Mi}, {@code 1Gi}) or a plain number of bytes. */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})(Ki|Mi|Gi)?");

  private ByteSize() {}

  /**
   * The number of bytes {@code text} stands for.
   *
   * @throws IllegalArgumentException when it is not such a size, or is 0
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a size such as 512Ki, 4Mi, 1Gi or a number of bytes, got '"
          + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
      case "Ki" -> 10;
      case "Mi" -> 20;
      default -> 30;
    };
    if (n == 0) throw new IllegalArgumentException("a size must be more than 0, got '" + Names.shorten(text) + "'");
    return n << shift; // at most 12 digits << 30 stays well inside a long
  }

  /** {@link #parse} for a setting that may be unset ({@code null}: the default); errors name {@code setting}. */
  static long parseOr(String text, long defaultValue, String setting) {
    if (text == null || text.isBlank()) return defaultValue;
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
    }
  }

  /** A size for people: {@code 4 MiB}, {@code 512 KiB}, {@code 100 bytes}. */
  public static String format(long bytes) {
    if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) return (bytes >> 30) + " GiB";
    if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) return (bytes >> 20) + " MiB";
    if (bytes >= (1L << 10) && bytes % (1L << 10) == 0) return (bytes >> 10) + " KiB";
    if (bytes >= (1L << 20)) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    return bytes + " bytes";
  }
}
