package dev.flotilla.demo;

import dev.flotilla.api.AuditView;
import dev.flotilla.api.CommandRequest;
import dev.flotilla.api.ConflictException;
import dev.flotilla.api.RolloutView;
import dev.flotilla.app.Engine;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.rollout.Gate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The demo's loop, one round at a time: the engine makes a scheduling pass, the simulated sites
 * act, the demo approves what waits on an approval (as actor {@value #ACTOR}), shows what happened,
 * and moves the demo clock on by one step. Driving the engine by hand (instead of its Quartz jobs)
 * makes a run deterministic, and as fast as the machine allows: a real pause is taken only after
 * rounds that changed what is shown, so hours of waiting for a window pass in an instant.
 */
final class DemoRounds {
  static final String ACTOR = "demo";
  private static final Set<String> TOLD = Set.of("release", "wave-started", "wave-promoted", "site-failed", "halted",
      "rollback-started", "rollback", "completed", "superseded");
  private static final String APPROVAL_WAIT = "gate " + Gate.APPROVAL.word();

  private final Engine engine;
  private final SimulatedDelivery sites;
  private final DemoClock clock;
  private final Duration step;
  private final Duration pause;
  private final DemoOutput output;
  private final Set<String> shown = new HashSet<>();
  private Map<String, List<String>> lastShown = Map.of();
  private long lastSeq;
  private int rounds;

  DemoRounds(Engine engine, SimulatedDelivery sites, DemoClock clock, Duration step, Duration pause, DemoOutput output) {
    this.engine = engine;
    this.sites = sites;
    this.clock = clock;
    this.step = step;
    this.pause = pause;
    this.output = output;
  }

  /** Shows this rollout's progress and events from the next round on. */
  void show(String rolloutId) {
    shown.add(rolloutId);
  }

  /**
   * Runs rounds until {@code done} holds for the rollouts (by id), or {@code limit} of simulated
   * time has passed. Returns the rollouts as the last round left them, and whether {@code done} held.
   */
  Result runUntil(Reaction react, Predicate<Map<String, RolloutView>> done, Duration limit) throws Exception {
    Instant end = clock.instant().plus(limit);
    while (true) {
      Map<String, RolloutView> rollouts = round();
      react.after(rollouts);
      if (done.test(rollouts)) return new Result(rollouts, true);
      if (!clock.instant().isBefore(end)) return new Result(rollouts, false);
      clock.advance(step);
    }
  }

  /** What the demo does after a round, seeing the rollouts as the round left them. */
  interface Reaction {
    void after(Map<String, RolloutView> rollouts) throws Exception;
  }

  record Result(Map<String, RolloutView> rollouts, boolean reached) {}

  /** One round; the clock is not moved. */
  Map<String, RolloutView> round() throws Exception {
    rounds++;
    engine.rollouts().tick();
    sites.tick();
    Map<String, RolloutView> rollouts = rollouts();
    boolean changed = approveWaiting(rollouts);
    if (changed) rollouts = rollouts();
    changed |= tellEvents();
    for (RolloutView view : rollouts.values()) {
      if (shown.contains(view.id())) output.progress(view);
    }
    if (changed || shownChanged(rollouts)) pause();
    return rollouts;
  }

  int rounds() {
    return rounds;
  }

  private Map<String, RolloutView> rollouts() throws Exception {
    Map<String, RolloutView> byId = new LinkedHashMap<>();
    for (RolloutView v : engine.operations().list()) byId.put(v.id(), v);
    return byId;
  }

  /** What a person would do at an approval gate: the demo approves, and says so. */
  private boolean approveWaiting(Map<String, RolloutView> rollouts) throws Exception {
    boolean approved = false;
    for (RolloutView v : rollouts.values()) {
      if (!v.state().equals("RUNNING") || v.waitingOn() == null || !v.waitingOn().contains(APPROVAL_WAIT)) continue;
      String wave = v.waves().get(v.currentWave()).name();
      try {
        engine.operations().command(v.id(), "approve",
            new CommandRequest(ACTOR, "approved by flotilla demo (a person would: flotilla rollout approve)", wave, null));
        approved = true;
        if (shown.contains(v.id())) {
          output.event(clock.instant(), v.id() + ": wave " + wave + " waits on an approval; approved as actor \"" + ACTOR + "\"");
        }
      } catch (ConflictException e) {
        // The engine moved the rollout on meanwhile (or someone else approved): nothing to approve this round.
        output.event(clock.instant(), v.id() + ": approval of wave " + wave + " not needed: " + e.getMessage());
      }
    }
    return approved;
  }

  private boolean tellEvents() throws Exception {
    boolean told = false;
    List<AuditView> page;
    do {
      page = engine.operations().audit(null, 500, lastSeq);
      for (AuditView a : page) {
        lastSeq = Math.max(lastSeq, a.seq());
        if (a.rolloutId() != null && shown.contains(a.rolloutId()) && TOLD.contains(a.kind())) {
          output.event(a.at(), a.rolloutId() + ": " + a.message());
          told = true;
        }
      }
    } while (page.size() == 500);
    return told;
  }

  /** Whether a shown rollout's board changed this round: worth a pause for people to see it. */
  private boolean shownChanged(Map<String, RolloutView> rollouts) {
    Map<String, List<String>> now = new LinkedHashMap<>();
    for (RolloutView v : rollouts.values()) {
      if (!shown.contains(v.id())) continue;
      now.put(v.id(), v.waves().stream()
          .map(w -> w.name() + w.phase() + w.done() + "/" + w.updating() + "/" + w.failed() + "/" + w.offline() + w.gate())
          .toList());
    }
    boolean changed = !now.equals(lastShown);
    lastShown = now;
    return changed;
  }

  private void pause() throws InterruptedException {
    if (!pause.isZero()) Thread.sleep(pause.toMillis());
  }
}
