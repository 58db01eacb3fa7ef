package dev.flotilla.engine;

import dev.flotilla.fleet.Analysis;
import java.util.List;
import java.util.OptionalDouble;

/** The analysis gate's port: the value of a wave's analysis query over its sites, or why there is none. */
public interface AnalysisSource {
  Result evaluate(Analysis analysis, List<String> sites);

  /** A value, or the reason there is none (the gate waits and shows it). */
  record Result(OptionalDouble value, String error) {
    public static Result of(double v) {
      return new Result(OptionalDouble.of(v), null);
    }

    public static Result none(String why) {
      return new Result(OptionalDouble.empty(), why);
    }
  }

  /** No metrics backend configured: an analysis gate waits, and says why. */
  AnalysisSource NONE = (analysis, sites) -> Result.none("no metrics backend configured (serve --prometheus-url)");
}
