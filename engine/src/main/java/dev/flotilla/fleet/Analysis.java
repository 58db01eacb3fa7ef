package dev.flotilla.fleet;

import java.util.Objects;

/**
 * An analysis gate: a PromQL query evaluated against a Prometheus-compatible API over a wave's
 * sites; the gate passes while the result compares to the threshold as {@code comparison} says.
 */
public record Analysis(String query, double threshold, Comparison comparison) {

  /** How the query's value must relate to the threshold for the gate to pass. */
  public enum Comparison {
    BELOW("<"),
    AT_MOST("<="),
    ABOVE(">"),
    AT_LEAST(">=");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public static Comparison parse(String symbol) {
      for (Comparison c : values()) {
        if (c.symbol.equals(symbol)) return c;
      }
      throw new IllegalArgumentException("expected one of <, <=, >, >=, got '" + Names.shorten(symbol) + "'");
    }
  }

  public Analysis {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(comparison, "comparison");
  }
}
