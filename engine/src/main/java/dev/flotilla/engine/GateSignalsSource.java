package dev.flotilla.engine;

import dev.flotilla.fleet.Analysis;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.rollout.GateSignals;
import dev.flotilla.rollout.PlannedWave;
import dev.flotilla.rollout.Rollout;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Gathers what a rollout's current wave's gates need from outside: CI statuses and the analysis value. */
public final class GateSignalsSource {
  private final CiStatuses ci;
  private final AnalysisSource analysis;

  public GateSignalsSource(CiStatuses ci, AnalysisSource analysis) {
    this.ci = ci;
    this.analysis = analysis;
  }

  GateSignals signals(Rollout r) {
    PlannedWave wave = r.plan().wave(r.currentWave());
    Map<String, CiStatus> statuses = new HashMap<>();
    if (!wave.spec().gates().ci().isEmpty()) {
      Map<String, CiStatus> known = ci.of(r.revision());
      for (String context : wave.spec().gates().ci()) statuses.put(context, known.getOrDefault(context, ci.unreported()));
    }
    Analysis spec = wave.spec().gates().analysis();
    OptionalDouble value = spec == null ? OptionalDouble.empty() : analysis.evaluate(spec, wave.siteNames());
    return new GateSignals(statuses, value);
  }
}
