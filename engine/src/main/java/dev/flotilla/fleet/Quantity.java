package dev.flotilla.fleet;

/**
 * A count of sites or a percentage of a set of sites, as in {@code maxUnavailable: 2} or {@code
 * maxUnavailable: 25%}. Percentages of a non-empty set round up, so a share is never zero sites.
 */
public record Quantity(int value, boolean percent) {

  public Quantity {
    if (value < 0) throw new IllegalArgumentException("must not be negative: " + value);
    if (percent && value > 100) throw new IllegalArgumentException("a percentage is at most 100: " + value);
  }

  public static Quantity count(int n) {
    return new Quantity(n, false);
  }

  public static Quantity percentOf(int p) {
    return new Quantity(p, true);
  }

  /** Parses {@code 3} or {@code 25%}. */
  public static Quantity parse(String text) {
    String t = text.trim();
    try {
      if (t.endsWith("%")) return percentOf(Integer.parseInt(t.substring(0, t.length() - 1).trim()));
      return count(Integer.parseInt(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number or a percentage such as 25%, got '" + Names.shorten(text) + "'");
    }
  }

  /** The number of sites this quantity means out of {@code total}. */
  public int of(int total) {
    if (!percent) return value;
    return (int) Math.ceil(total * (value / 100.0));
  }

  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }
}
