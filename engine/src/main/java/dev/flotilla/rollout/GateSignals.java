package dev.flotilla.rollout;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * What adapters measured for the gates of a rollout's current wave: commit-status contexts of the
 * rollout's revision (a missing context is pending), and the analysis query's value over the
 * wave's sites (empty while not computed).
 */
public record GateSignals(Map<String, CiStatus> ci, OptionalDouble analysis) {

  public static final GateSignals NONE = new GateSignals(Map.of(), OptionalDouble.empty());

  public GateSignals {
    ci = Map.copyOf(ci == null ? Map.of() : ci);
    analysis = analysis == null ? OptionalDouble.empty() : analysis;
  }

  public CiStatus ciStatus(String context) {
    return ci.getOrDefault(context, CiStatus.PENDING);
  }

  public GateSignals withCi(String context, CiStatus status) {
    Map<String, CiStatus> copy = new java.util.HashMap<>(ci);
    copy.put(context, status);
    return new GateSignals(copy, analysis);
  }

  public GateSignals withAnalysis(double value) {
    return new GateSignals(ci, OptionalDouble.of(value));
  }
}
