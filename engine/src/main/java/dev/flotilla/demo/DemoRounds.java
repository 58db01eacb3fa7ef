package dev.flotilla.demo;

import dev.flotilla.engine.EngineException;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.view.AuditView;
import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.engine.ConflictException;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.app.Engine;
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
 * The demo's loop, one round at a time: the engine makes a scheduling pass, the sites act (the
 * simulated ones, and the controllers of the push sites' mock API servers with {@code
 * --push-mock}), the demo approves what waits on an approval (as actor {@value #ACTOR}), shows
 * what happened, and moves the demo clock on. Driving the engine by hand (instead of its Quartz jobs) makes a run
 * deterministic and as fast as the machine allows.
 *
 * <p>A round covers one step of simulated time; while nothing happens (no delivery, no site
 * report, no audit event: the fleet waits for a window or a soak) each further round covers twice
 * the time of the one before, up to {@link #IDLE_STEP}, so the nights and weekends between windows
 * pass in few rounds. A real pause is taken only after rounds that changed what is shown.
 */
final class DemoRounds {
  static final String ACTOR = "demo";
  static final Duration IDLE_STEP = Duration.ofMinutes(30);
  private static final int PAGE = 500;
  private static final Set<String> TOLD = Set.of("release", "wave-started", "wave-promoted", "site-failed", "halted",
      "rollback-started", "rollback", "completed", "superseded");
  private static final String APPROVAL_WAIT = "gate " + Gate.APPROVAL.word();

  private final Engine engine;
  /** Lets the sites act at the clock's instant; returns how many changed. */
  private final java.util.function.IntSupplier sites;
  private final SteppedClock clock;
  private final Duration step;
  private final Duration pause;
  private final DemoOutput output;
  private final Set<String> shown = new HashSet<>();
  private Map<String, List<String>> lastShown = Map.of();
  private long lastSeq;
  private int rounds;

  DemoRounds(Engine engine, java.util.function.IntSupplier sites, SteppedClock clock, Duration step, Duration pause, DemoOutput output) {
    this.engine = engine;
    this.sites = sites;
    this.clock = clock;
    this.step = step;
    this.pause = pause;
    this.output = output;
  }

  /** What the demo does after a round, seeing the rollouts as the round left them. */
  interface Reaction {
    void after(Map<String, RolloutView> rollouts) throws StoreException, EngineException, SchedulingException;
  }

  /** The rollouts (by id) as the last round left them, and whether the wanted end was reached. */
  record Result(Map<String, RolloutView> rollouts, boolean reached) {}

  /** Shows this rollout's progress and events from the next round on. */
  void show(String rolloutId) {
    shown.add(rolloutId);
  }

  /**
   * Runs rounds, reacting after each, until {@code done} holds for the rollouts or {@code limit} of
   * simulated time has passed.
   */
  Result runUntil(Reaction react, Predicate<Map<String, RolloutView>> done, Duration limit)
      throws StoreException, EngineException, SchedulingException, InterruptedException {
    Instant end = clock.instant().plus(limit);
    Duration next = step;
    while (true) {
      Round round = round();
      react.after(round.rollouts());
      if (done.test(round.rollouts())) return new Result(round.rollouts(), true);
      if (!clock.instant().isBefore(end)) return new Result(round.rollouts(), false);
      next = round.idle() ? min(next.multipliedBy(2), IDLE_STEP) : step;
      clock.advance(next);
    }
  }

  private record Round(Map<String, RolloutView> rollouts, boolean idle) {}

  /** One round; the clock is not moved. */
  private Round round() throws StoreException, EngineException, SchedulingException, InterruptedException {
    rounds++;
    int acted = engine.step().rolloutsChanged() + sites.getAsInt();
    Map<String, RolloutView> rollouts = rollouts();
    int approved = approveWaiting(rollouts);
    if (approved > 0) rollouts = rollouts();
    int events = tellEvents();
    for (RolloutView view : rollouts.values()) {
      if (shown.contains(view.id())) output.progress(view);
    }
    if (shownChanged(rollouts)) pause();
    return new Round(rollouts, acted + approved + events == 0);
  }

  int rounds() {
    return rounds;
  }

  private Map<String, RolloutView> rollouts() throws StoreException {
    Map<String, RolloutView> byId = new LinkedHashMap<>();
    for (RolloutView v : engine.operations().list()) byId.put(v.id(), v);
    return byId;
  }

  /** What a person would do at an approval gate: the demo approves, and says so. Returns how many it approved. */
  private int approveWaiting(Map<String, RolloutView> rollouts) throws StoreException, EngineException, SchedulingException {
    int approved = 0;
    for (RolloutView v : rollouts.values()) {
      if (!v.state().equals("RUNNING") || v.waitingOn() == null || !v.waitingOn().contains(APPROVAL_WAIT)) continue;
      String wave = v.waves().get(v.currentWave()).name();
      try {
        engine.operations().command(v.id(), "approve",
            new CommandRequest(ACTOR, "approved by flotilla demo (a person would: flotilla rollout approve)", wave, null));
        approved++;
        if (shown.contains(v.id())) {
          output.event(clock.instant(), v.id() + ": wave " + wave + " waits on an approval; approved as actor \"" + ACTOR + "\"");
        }
      } catch (ConflictException e) {
        // The rollout moved on between the view and the command: nothing to approve now.
        if (shown.contains(v.id())) output.event(clock.instant(), v.id() + ": approval of wave " + wave + " not needed: " + e.getMessage());
      }
    }
    return approved;
  }

  /** Reads the audit log's new entries, tells those of shown rollouts that matter; returns how many were new. */
  private int tellEvents() throws StoreException {
    int read = 0;
    List<AuditView> page;
    do {
      try {
        page = engine.operations().audit(null, PAGE, lastSeq);
      } catch (dev.flotilla.engine.BadRequestException e) {
        throw new IllegalStateException("the demo's audit page is within bounds", e);
      }
      for (AuditView a : page) {
        lastSeq = Math.max(lastSeq, a.seq());
        if (a.rolloutId() != null && shown.contains(a.rolloutId()) && TOLD.contains(a.kind())) {
          output.event(a.at(), a.rolloutId() + ": " + a.message());
        }
      }
      read += page.size();
    } while (page.size() == PAGE);
    return read;
  }

  /** Whether a shown rollout's board changed this round: worth a pause for people to see it. */
  private boolean shownChanged(Map<String, RolloutView> rollouts) {
    Map<String, List<String>> now = new LinkedHashMap<>();
    for (RolloutView v : rollouts.values()) {
      if (!shown.contains(v.id())) continue;
      now.put(v.id(), v.waves().stream()
          .map(w -> w.name() + " " + w.phase() + " " + w.done() + "/" + w.updating() + "/" + w.failed() + "/" + w.offline() + " " + w.gate())
          .toList());
    }
    boolean changed = !now.equals(lastShown);
    lastShown = now;
    return changed;
  }

  private void pause() throws InterruptedException {
    if (!pause.isZero()) Thread.sleep(pause.toMillis());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
