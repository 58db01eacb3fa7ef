package dev.flotilla.engine;

import dev.flotilla.engine.port.GateSignalStore;
import dev.flotilla.engine.port.RecordedSignals;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.fleet.Analysis;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.rollout.GateSignals;
import dev.flotilla.rollout.PlannedWave;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.WavePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The gate signals of the waves that wait on them: CI statuses of the release's commit and the
 * analysis value over the wave's sites. {@link #refresh} fetches them (off the scheduling pass, on
 * the engine's background thread) only for running rollouts whose current wave has a {@code ci} or
 * {@code analysis} gate and has started, and stores them; the pass reads what was stored, once per
 * pass ({@link #recorded}), so every replica decides on the same values. Each value keeps when it
 * was fetched, so people see how old it is.
 */
public final class GateSignalsSource {
  private final CiStatuses ci;
  private final AnalysisSource analysis;
  private final GateSignalStore store;

  public GateSignalsSource(CiStatuses ci, AnalysisSource analysis, GateSignalStore store) {
    this.ci = ci;
    this.analysis = analysis;
    this.store = store;
  }

  /** How often an analysis query is sent for one wave. */
  static final Duration ANALYSIS_EVERY = Duration.ofSeconds(10);

  /** Fetches the signals of every rollout in {@code live} whose current wave waits on them; returns how many it fetched. */
  public int refresh(List<Rollout> live, Instant now) throws StoreException {
    int n = 0;
    List<String> keep = new ArrayList<>();
    Map<String, RecordedSignals> before = null;
    for (Rollout r : live) {
      if (!needsSignals(r)) continue;
      if (before == null) before = store.all();
      keep.add(r.id());
      store.put(fetch(r, now, before.get(r.id())));
      n++;
    }
    store.retain(keep);
    return n;
  }

  /** What is stored for every rollout, read once by a pass. */
  public Map<String, RecordedSignals> recorded() throws StoreException {
    return store.all();
  }

  private static boolean needsSignals(Rollout r) {
    if (r.state() != RolloutState.RUNNING && r.state() != RolloutState.PAUSED) return false;
    PlannedWave wave = r.plan().wave(r.currentWave());
    WavePhase phase = r.wave(r.currentWave()).phase();
    boolean gated = !wave.spec().gates().ci().isEmpty() || wave.spec().gates().analysis() != null;
    return gated && (phase == WavePhase.UPDATING || phase == WavePhase.GATED);
  }

  private RecordedSignals fetch(Rollout r, Instant now, RecordedSignals before) {
    PlannedWave wave = r.plan().wave(r.currentWave());
    Map<String, CiStatus> statuses = new HashMap<>();
    Map<String, Instant> since = new HashMap<>();
    if (!wave.spec().gates().ci().isEmpty()) {
      Map<String, CiStatus> known = ci.of(r.revision());
      for (String context : wave.spec().gates().ci()) {
        CiStatus status = known.getOrDefault(context, ci.unreported());
        statuses.put(context, status);
        boolean same = before != null && before.wave() == r.currentWave() && before.ci().get(context) == status;
        since.put(context, same ? before.ciSince().get(context) : now);
      }
    }
    Analysis spec = wave.spec().gates().analysis();
    OptionalDouble value = OptionalDouble.empty();
    String error = null;
    boolean fresh = before != null && before.wave() == r.currentWave() && before.analysisAt() != null
        && before.analysisAt().plus(ANALYSIS_EVERY).isAfter(now);
    Instant analysisAt = now;
    if (spec != null && fresh) {
      // Commit statuses are cheap to read; a metrics query is not, and its value moves slowly.
      value = before.analysis();
      error = before.analysisError();
      analysisAt = before.analysisAt();
    } else if (spec != null) {
      AnalysisSource.Result result = analysis.evaluate(spec, wave.siteNames());
      value = result.value();
      error = result.error();
    }
    return new RecordedSignals(r.id(), r.currentWave(), statuses, since, value, error, spec == null ? null : analysisAt, now);
  }

  /** The signals recorded for the rollout's current wave; none while nothing was fetched (its gates wait). */
  static GateSignals signals(Map<String, RecordedSignals> recorded, Rollout r) {
    RecordedSignals rec = recorded.get(r.id());
    if (rec == null || rec.wave() != r.currentWave()) return GateSignals.NONE;
    return new GateSignals(rec.ci(), rec.analysis());
  }

  /** For people: each signal with its value and age, e.g. {@code ci/build PENDING since 12:03:00Z; analysis 0.002, 40 s ago}. */
  static String describe(RecordedSignals rec, Instant now) {
    if (rec == null) return null;
    List<String> parts = new ArrayList<>();
    rec.ci().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        parts.add(e.getKey() + " " + e.getValue().name().toLowerCase() + " since " + rec.ciSince().get(e.getKey())));
    if (rec.analysis().isPresent()) {
      parts.add("analysis " + rec.analysis().getAsDouble() + ", " + Duration.between(rec.analysisAt(), now).toSeconds() + " s ago");
    } else if (rec.analysisError() != null) {
      parts.add("analysis unknown: " + rec.analysisError() + ", " + Duration.between(rec.analysisAt(), now).toSeconds() + " s ago");
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }
}
