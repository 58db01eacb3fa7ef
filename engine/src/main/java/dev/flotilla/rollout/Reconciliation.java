package dev.flotilla.rollout;

import dev.flotilla.fleet.Freeze;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of one rollout in the making: the snapshot so far, the actions and events it produced.
 * Lives for one call of {@link RolloutMachine#step}; every transition fires only from the state
 * before it, so a second step with the same inputs finds nothing left to do.
 */
final class Reconciliation {
  private Rollout r;
  private final FleetTime time;
  private final Instant now;
  private final List<RolloutAction> actions = new ArrayList<>();
  private final List<AuditEvent> events = new ArrayList<>();
  private Wait wait = new Wait.Nothing();

  Reconciliation(Rollout r, FleetTime time, Instant now) {
    this.r = r;
    this.time = time;
    this.now = now;
  }

  Step result() {
    return new Step(r, actions, events, wait);
  }

  void waitOn(Wait w) {
    wait = w;
  }

  // ---- observations

  /** Sites confirmed done in this step, and those of them not healthy yet: one audit entry for all of them. */
  private final List<String> doneNow = new ArrayList<>();
  private final List<String> unhealthyNow = new ArrayList<>();
  /** Sites reported failed in this step, with why, in name order (observations come in no particular order). */
  private final Map<String, String> failedNow = new java.util.TreeMap<>();

  void ingest(Map<String, SiteObservation> observations) {
    Map<String, SiteProgress> changed = new LinkedHashMap<>();
    // A pass usually brings a few changed reports for a large plan: walk the observations, not the plan.
    for (Map.Entry<String, SiteObservation> e : observations.entrySet()) {
      String site = e.getKey();
      SiteObservation o = e.getValue();
      if (!o.app().equals(r.app()) || !r.sites().containsKey(site)) continue;
      SiteProgress before = r.site(site);
      // Last-seen matters only while a site is updating (is a silent pull site offline?); tracking it
      // for every site would rewrite every done site of every rollout whenever the site reports.
      SiteProgress seen = before.status() == SiteStatus.UPDATING ? before.seen(o.observedAt()) : before;
      SiteProgress after = observe(site, seen, o);
      if (!after.equals(before)) changed.put(site, after);
    }
    // Each site is read and changed once above, so applying the changes together is the same as one by one.
    r = r.withSites(changed);
    failedNow.forEach((site, why) -> event("site-failed", "site " + site + " failed on " + r.revision() + ": " + why));
    if (!doneNow.isEmpty()) {
      java.util.Collections.sort(doneNow);
      java.util.Collections.sort(unhealthyNow);
      event("site-done", doneNow.size() + " site(s) run " + r.revision() + ": " + String.join(", ", doneNow)
          + (unhealthyNow.isEmpty() ? "" : "; not healthy yet: " + String.join(", ", unhealthyNow)));
    }
  }

  /** Only a report of this release made at or after the update was sent says anything about it. */
  private SiteProgress observe(String site, SiteProgress p, SiteObservation o) {
    boolean fresh = o.revision().equals(r.revision()) && p.sentAt() != null && !o.observedAt().isBefore(p.sentAt());
    if (!fresh) return p;
    return switch (p.status()) {
      case PENDING, FAILED -> p;
      case UPDATING -> {
        if (o.failed()) yield fail(site, p, o);
        doneNow.add(site);
        if (!o.healthy()) unhealthyNow.add(site);
        yield p.done(o.observedAt(), o.healthy());
      }
      case DONE -> {
        if (o.observedAt().isBefore(p.doneAt())) yield p;
        yield o.failed() ? fail(site, p, o) : p.withHealth(o.healthy());
      }
    };
  }

  private SiteProgress fail(String site, SiteProgress p, SiteObservation o) {
    String why = o.detail().isEmpty() ? "reported failed at " + o.observedAt() : o.detail();
    failedNow.put(site, why);
    return p.failed(o.observedAt(), why);
  }

  // ---- health and failures

  /**
   * Fails the sites of promoted or current waves that did not report this release healthy within
   * their wave's progress deadline after it was sent. A pull site that has not been heard from
   * since it was sent is offline, not failed: offline is normal at the edge, and the completion
   * threshold decides how long a wave waits for it.
   */
  void expireDeadlines() {
    Map<String, SiteProgress> expired = new LinkedHashMap<>();
    for (int w = 0; w <= r.currentWave(); w++) {
      PlannedWave pw = r.plan().wave(w);
      java.time.Duration deadline = pw.spec().progressDeadline();
      if (deadline == null) continue;
      for (PlannedSite s : pw.sites()) {
        SiteProgress p = r.site(s.site());
        boolean waiting = p.status() == SiteStatus.UPDATING || (p.status() == SiteStatus.DONE && !Boolean.TRUE.equals(p.healthy()));
        if (!waiting || p.sentAt() == null || now.isBefore(p.sentAt().plus(deadline))) continue;
        if (s.delivery() == dev.flotilla.fleet.Delivery.PULL && p.silentSinceSent(now)) continue;
        String why = "not healthy within the progress deadline of " + dev.flotilla.fleet.Durations.format(deadline) + " (sent at " + p.sentAt() + ")";
        event("site-failed", "site " + s.site() + " failed on " + r.revision() + ": " + why);
        expired.put(s.site(), p.failed(now, why));
      }
    }
    r = r.withSites(expired);
  }

  /** Starts or resets the wave's run of continuous health, which soak measures. */
  void trackHealth(int w) {
    WaveProgress wp = r.wave(w);
    if (wp.phase() != WavePhase.GATED) return;
    List<String> unhealthy = WaveCounts.unhealthy(r, w);
    String name = r.plan().wave(w).name();
    if (unhealthy.isEmpty() && wp.healthySince() == null) {
      r = r.withWave(w, wp.withHealthySince(now));
      event("wave-healthy", "wave " + name + ": every done site healthy");
    } else if (!unhealthy.isEmpty() && wp.healthySince() != null) {
      r = r.withWave(w, wp.withHealthySince(null));
      event("wave-unhealthy", "wave " + name + ": unhealthy " + unhealthy + "; soak starts over when healthy again");
    }
  }

  /** Halts when some promoted wave has more failed sites than its threshold allows; true if it did. */
  boolean haltOnFailures() {
    for (int w = 0; w <= r.currentWave(); w++) {
      PlannedWave pw = r.plan().wave(w);
      int allowed = WaveCounts.failureAllowance(pw);
      if (WaveCounts.count(r, w, SiteStatus.FAILED) > allowed) {
        List<String> failed = WaveCounts.sitesWith(r, w, SiteStatus.FAILED);
        halt("wave " + pw.name() + ": " + failed.size() + " of " + pw.sites().size() + " sites failed, threshold "
            + pw.spec().failureThreshold() + " allows " + allowed + ": " + String.join(", ", failed));
        return true;
      }
    }
    return false;
  }

  void halt(String why) {
    r = r.halted(why, now);
    event("halted", why);
    wait = new Wait.Stopped("halted: " + why);
    if (r.plan().onFailure() == OnFailure.ROLLBACK && r.kind() == RolloutKind.RELEASE) {
      Optional<Rollout> rollback = Rollbacks.of(r, "automatic rollback: " + why, now);
      if (rollback.isEmpty()) {
        event("rollback-skipped", Rollbacks.whyNot(r));
        return;
      }
      r = r.withRollbackId(rollback.get().id());
      actions.add(new RolloutAction.StartRollback(rollback.get()));
      event("rollback-started", Rollbacks.describe(rollback.get()));
    }
  }

  // ---- promotion

  /** Moves the current wave forward as far as this instant allows: start, send, settle, gate, promote. */
  void advance(GateSignals signals) {
    Optional<Freeze> freeze = freeze();
    while (r.state() == RolloutState.RUNNING) {
      int w = r.currentWave();
      WaveProgress wp = r.wave(w);
      PlannedWave pw = r.plan().wave(w);
      switch (wp.phase()) {
        case PENDING -> {
          if (freeze.isPresent()) {
            waitOnFreeze(freeze.get());
            return;
          }
          r = r.withWave(w, wp.started(now));
          event("wave-started", "wave " + pw.name() + " started: " + pw.sites().size() + " site(s)");
        }
        case UPDATING -> {
          if (freeze.isEmpty()) sendBatch(w);
          if (!WaveCounts.updated(r, w)) {
            if (freeze.isPresent()) waitOnFreeze(freeze.get());
            else wait = waitForSites(w);
            return;
          }
          r = r.withWave(w, wp.updated(now));
          event("wave-updated", "wave " + pw.name() + " updated: " + summary(w));
        }
        case GATED -> {
          if (!gate(w, signals, freeze)) return;
        }
        case PASSED -> {
          return;
        }
      }
    }
  }

  /** Checks the gated wave's gates and promotes past them; false when the rollout must wait or stopped. */
  private boolean gate(int w, GateSignals signals, Optional<Freeze> freeze) {
    trackHealth(w);
    PlannedWave pw = r.plan().wave(w);
    Signoff skip = r.wave(w).promoteNow();
    List<GateVerdict> verdicts = GateCheck.check(r, w, signals, time, now);
    if (skip == null) {
      for (GateVerdict v : verdicts) {
        if (v instanceof GateVerdict.Failed f) {
          halt("wave " + pw.name() + ": gate " + f.gate().word() + " failed: " + f.detail());
          return false;
        }
      }
      for (GateVerdict v : verdicts) {
        if (v instanceof GateVerdict.Waiting waiting) {
          wait = new Wait.OnGate(pw.name(), waiting.gate(), waiting.detail());
          return false;
        }
      }
    }
    if (freeze.isPresent()) {
      waitOnFreeze(freeze.get());
      return false;
    }
    promote(w, verdicts, skip);
    return true;
  }

  private void promote(int w, List<GateVerdict> verdicts, Signoff skip) {
    PlannedWave pw = r.plan().wave(w);
    r = r.withWave(w, r.wave(w).passed(now, skip == null ? "gates" : skip.actor()));
    if (skip == null) {
      String gates = verdicts.isEmpty() ? "no gates" : String.join("; ", verdicts.stream().map(v -> v.gate().word() + ": " + v.detail()).toList());
      event("wave-promoted", "wave " + pw.name() + " passed its gates (" + gates + ")");
    } else {
      events.add(new AuditEvent(now, skip.actor(), r.id(), "wave-promoted",
          "wave " + pw.name() + " promoted by " + skip.actor() + ", gates skipped" + (skip.comment().isEmpty() ? "" : ": " + skip.comment())));
    }
    if (w == r.plan().waves().size() - 1) {
      r = r.withState(RolloutState.COMPLETED, "every wave passed");
      event("completed", r.app() + " " + r.revision() + " passed every wave");
      wait = new Wait.Nothing();
    } else {
      r = r.withCurrentWave(w + 1);
    }
  }

  private void sendBatch(int w) {
    PlannedWave pw = r.plan().wave(w);
    int budget = WaveCounts.maxUpdating(pw) - WaveCounts.inFlight(r, w, now);
    if (budget <= 0 || WaveCounts.count(r, w, SiteStatus.PENDING) == 0) return;
    List<String> batch = new ArrayList<>();
    for (PlannedSite s : pw.sites()) {
      if (batch.size() >= budget) break;
      if (r.site(s.site()).status() == SiteStatus.PENDING && windowOpen(pw, s)) batch.add(s.site());
    }
    send(w, batch, "");
  }

  /** Sites that joined a wave whose updates are over are updated at once, not held back by its gates. */
  void sendJoiners() {
    if (r.state() != RolloutState.RUNNING && r.state() != RolloutState.COMPLETED) return;
    if (freeze().isPresent()) return;
    for (int w = 0; w < r.plan().waves().size(); w++) {
      WavePhase phase = r.wave(w).phase();
      if (phase != WavePhase.GATED && phase != WavePhase.PASSED) continue;
      if (WaveCounts.count(r, w, SiteStatus.PENDING) == 0) continue;
      PlannedWave pw = r.plan().wave(w);
      List<String> joiners = pw.sites().stream()
          .filter(s -> r.site(s.site()).status() == SiteStatus.PENDING && windowOpen(pw, s))
          .map(PlannedSite::site)
          .toList();
      send(w, joiners, " (joined after the wave was updated)");
    }
  }

  private void send(int w, List<String> sites, String note) {
    if (sites.isEmpty()) return;
    PlannedWave pw = r.plan().wave(w);
    Map<String, SiteProgress> sent = new LinkedHashMap<>();
    for (String s : sites) {
      sent.put(s, r.site(s).sent(now));
      actions.add(new RolloutAction.UpdateSite(r.id(), s, r.app(), r.revision(), pw.name()));
    }
    r = r.withSites(sent);
    event("batch-sent", "wave " + pw.name() + ": sent " + r.revision() + " to " + String.join(", ", sites) + note);
  }

  // ---- time

  /** Freezes stop releases; a rollback still goes ahead, since it returns sites to what they ran before. */
  private Optional<Freeze> freeze() {
    return r.kind() == RolloutKind.RELEASE ? time.freezeAt(now) : Optional.empty();
  }

  private void waitOnFreeze(Freeze f) {
    wait = new Wait.OnFreeze(f.name(), f.end());
  }

  private boolean windowOpen(PlannedWave pw, PlannedSite s) {
    String name = pw.spec().gates().window();
    if (name == null) return true;
    Optional<Window> window = time.window(name);
    return window.isPresent() && WindowSchedule.isOpen(window.get(), s.timezone(), now);
  }

  private Wait waitForSites(int w) {
    PlannedWave pw = r.plan().wave(w);
    String name = pw.spec().gates().window();
    List<PlannedSite> blocked = WaveCounts.count(r, w, SiteStatus.PENDING) == 0 ? List.of() : pw.sites().stream()
        .filter(s -> r.site(s.site()).status() == SiteStatus.PENDING && !windowOpen(pw, s))
        .toList();
    if (!blocked.isEmpty()) {
      Optional<Window> window = time.window(name);
      Instant next = window.flatMap(win -> blocked.stream()
              .map(s -> WindowSchedule.nextOpening(win, s.timezone(), now))
              .flatMap(Optional::stream)
              .min(Comparator.naturalOrder()))
          .orElse(null);
      return new Wait.OnWindow(pw.name(), name, next);
    }
    List<String> open = pw.siteNames().stream()
        .filter(s -> r.site(s).status() == SiteStatus.PENDING || r.site(s).status() == SiteStatus.UPDATING)
        .toList();
    return new Wait.OnSites(pw.name(), open);
  }

  private String summary(int w) {
    int n = r.plan().wave(w).sites().size();
    return WaveCounts.count(r, w, SiteStatus.DONE) + " done, "
        + WaveCounts.count(r, w, SiteStatus.FAILED) + " failed, "
        + WaveCounts.count(r, w, SiteStatus.UPDATING) + " pending of " + n;
  }

  private void event(String kind, String message) {
    events.add(new AuditEvent(now, AuditEvent.ENGINE, r.id(), kind, message));
  }
}
