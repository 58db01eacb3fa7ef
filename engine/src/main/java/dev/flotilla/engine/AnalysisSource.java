package dev.flotilla.engine;

import dev.flotilla.fleet.Analysis;
import java.util.List;
import java.util.OptionalDouble;

/** The analysis gate's port: the value of a wave's analysis query over its sites; empty when unknown. */
public interface AnalysisSource {
  OptionalDouble evaluate(Analysis analysis, List<String> sites);

  /** No metrics backend configured: an analysis gate waits, and says why. */
  AnalysisSource NONE = (analysis, sites) -> OptionalDouble.empty();
}
