package dev.flotilla.rollout;

import dev.flotilla.fleet.RolloutPolicy.Supersede;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps an app's rollouts in order (newer means created later): at most one rollout runs; of the
 * queued releases only the newest waits (intermediate revisions are skipped); a halted release is
 * retired by any newer one (fix forward) and a completed one by a newer completed one, both keeping
 * their state, since terminal states never change; with {@code immediate} a newer release cancels the
 * running one and starts from the first wave. A running rollback is never superseded: queued
 * releases wait for it. Call it whenever a rollout of the app is created or changes state.
 */
public final class Supersession {

  private Supersession() {}

  /** The rollouts whose state changed, and why. */
  public record Arrangement(List<Rollout> changed, List<AuditEvent> events) {
    public Arrangement {
      changed = List.copyOf(changed);
      events = List.copyOf(events);
    }
  }

  private static final Set<RolloutState> LIVE =
      EnumSet.of(RolloutState.QUEUED, RolloutState.RUNNING, RolloutState.PAUSED, RolloutState.COMPLETED, RolloutState.HALTED);

  public static Arrangement arrange(List<Rollout> appRollouts, Supersede mode, Instant now) {
    Map<String, Rollout> byId = new LinkedHashMap<>();
    appRollouts.stream().sorted(NEWER_LAST).forEach(r -> byId.put(r.id(), r));
    List<AuditEvent> events = new ArrayList<>();
    List<String> changedIds = new ArrayList<>();
    for (Rollout r : List.copyOf(byId.values())) {
      if (r.kind() != RolloutKind.RELEASE) continue;
      Optional<Rollout> newer = newestRelease(byId, r, LIVE);
      if (r.state() == RolloutState.QUEUED && newer.isPresent()) {
        supersede(byId, changedIds, events, r, "skipped: " + newer.get().revision() + " is newer", now);
      } else if (r.state() == RolloutState.HALTED && r.retiredAt() == null && newer.isPresent()) {
        retire(byId, changedIds, events, r, "fixed forward by " + newer.get().revision(), now);
      } else if (r.state() == RolloutState.COMPLETED && r.retiredAt() == null) {
        Optional<Rollout> newerDone = newestRelease(byId, r, EnumSet.of(RolloutState.COMPLETED));
        if (newerDone.isPresent()) retire(byId, changedIds, events, r, "replaced by " + newerDone.get().revision(), now);
      }
    }
    startQueued(byId, changedIds, events, mode, now);
    return new Arrangement(changedIds.stream().distinct().map(byId::get).toList(), events);
  }

  private static void startQueued(Map<String, Rollout> byId, List<String> changedIds, List<AuditEvent> events, Supersede mode, Instant now) {
    Optional<Rollout> queued = byId.values().stream().filter(r -> r.state() == RolloutState.QUEUED).reduce((a, b) -> b);
    if (queued.isEmpty()) return;
    Rollout q = queued.get();
    List<Rollout> active = byId.values().stream()
        .filter(r -> r.state() == RolloutState.RUNNING || r.state() == RolloutState.PAUSED)
        .toList();
    if (active.stream().anyMatch(r -> r.kind() == RolloutKind.ROLLBACK)) return;
    if (!active.isEmpty()) {
      if (mode == Supersede.QUEUE) return;
      for (Rollout running : active) {
        supersede(byId, changedIds, events, running, "cancelled: " + q.revision() + " supersedes it (supersede: immediate)", now);
      }
    }
    Rollout started = q.withState(RolloutState.RUNNING, "");
    byId.put(q.id(), started);
    changedIds.add(q.id());
    events.add(new AuditEvent(now, AuditEvent.ENGINE, q.id(), "started", q.app() + " " + q.revision() + " starts rolling out"));
  }

  /** The newest revision that passed every wave, which a rollback returns to; empty when there is none. */
  public static Optional<String> lastGoodRevision(List<Rollout> appRollouts) {
    return appRollouts.stream()
        .filter(r -> r.state() == RolloutState.COMPLETED
            || (r.state() == RolloutState.SUPERSEDED && r.haltedAt() == null && r.wave(r.plan().waves().size() - 1).phase() == WavePhase.PASSED))
        .max(NEWER_LAST)
        .map(Rollout::revision);
  }

  static final Comparator<Rollout> NEWER_LAST = Comparator.comparing(Rollout::createdAt).thenComparing(Rollout::id);

  private static Optional<Rollout> newestRelease(Map<String, Rollout> byId, Rollout than, Set<RolloutState> states) {
    return byId.values().stream()
        .filter(o -> o.kind() == RolloutKind.RELEASE && states.contains(o.state()) && NEWER_LAST.compare(o, than) > 0)
        .reduce((a, b) -> b);
  }

  /** Terminal states are history: a completed or halted rollout keeps its state and stops acting. */
  private static void retire(Map<String, Rollout> byId, List<String> changedIds, List<AuditEvent> events, Rollout r, String why, Instant now) {
    byId.put(r.id(), r.retired(now));
    changedIds.add(r.id());
    events.add(new AuditEvent(now, AuditEvent.ENGINE, r.id(), "retired", r.revision() + " stays " + r.state() + ", " + why));
  }

  private static void supersede(Map<String, Rollout> byId, List<String> changedIds, List<AuditEvent> events, Rollout r, String why, Instant now) {
    byId.put(r.id(), r.withState(RolloutState.SUPERSEDED, why));
    changedIds.add(r.id());
    events.add(new AuditEvent(now, AuditEvent.ENGINE, r.id(), "superseded", r.revision() + " " + why));
  }
}
