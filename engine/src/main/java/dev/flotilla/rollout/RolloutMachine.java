package dev.flotilla.rollout;

import dev.flotilla.fleet.Site;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rollout reconciler: given a rollout's snapshot and what the engine observes now, decides the
 * next snapshot, the actions to carry out and the events to record. Pure and idempotent: stepping
 * the result again with the same inputs yields no new actions or events.
 */
public final class RolloutMachine {

  /** One reconcile step at {@code now}. {@code observations} holds the newest status per site, for any app. */
  public Step step(Rollout r, Map<String, SiteObservation> observations, GateSignals signals, FleetTime fleetTime, Instant now) {
    Reconciliation rec = new Reconciliation(r, fleetTime, now);
    switch (r.state()) {
      case HELD -> rec.waitOn(new Wait.Stopped("held: " + r.reason() + "; a person must approve"));
      case QUEUED -> rec.waitOn(new Wait.Stopped("queued behind the running rollout of " + r.app()));
      case CANCELLED, SUPERSEDED -> rec.waitOn(new Wait.Nothing());
      case HALTED -> {
        rec.ingest(observations);
        rec.waitOn(new Wait.Stopped("halted: " + r.reason()));
      }
      case PAUSED -> {
        rec.ingest(observations);
        rec.expireDeadlines();
        rec.trackHealth(r.currentWave());
        if (!rec.haltOnFailures()) rec.waitOn(new Wait.Stopped(r.reason()));
      }
      case RUNNING -> {
        rec.ingest(observations);
        rec.expireDeadlines();
        if (!rec.haltOnFailures()) {
          rec.advance(signals);
          rec.sendJoiners();
        }
      }
      case COMPLETED -> {
        if (r.retiredAt() != null) {
          rec.waitOn(new Wait.Nothing());
        } else {
          rec.ingest(observations);
          rec.sendJoiners();
        }
      }
    }
    return rec.result();
  }

  /**
   * Follows the fleet's membership: a site the app now targets joins the wave the frozen wave
   * specs give it (a later step updates it, at once if that wave's updates are over); a site gone
   * from the targets is dropped from the plan. Never stops the rollout. A rollback takes no new
   * sites: it is for the sites that got the release.
   */
  public Step retarget(Rollout r, List<Site> targets, Instant now) {
    if (r.state().ended()) return new Step(r, List.of(), List.of(), new Wait.Nothing());
    RolloutPlan plan = r.plan();
    List<AuditEvent> events = new ArrayList<>();
    Set<String> targetNames = targets.stream().map(Site::name).collect(Collectors.toSet());
    for (String site : plan.siteNames()) {
      if (targetNames.contains(site)) continue;
      String wave = plan.wave(plan.waveIndex(site)).name();
      plan = plan.withSiteRemoved(site);
      events.add(new AuditEvent(now, AuditEvent.ENGINE, r.id(), "site-removed",
          "site " + site + " left the fleet; dropped from wave " + wave + " (was " + r.site(site).status() + ")"));
    }
    if (r.kind() == RolloutKind.RELEASE) {
      // The plan's sites as a set: asking the plan (a scan of every wave) for each of 10,000 targets is quadratic.
      Set<String> planned = new HashSet<>(plan.siteNames());
      for (Site site : targets) {
        if (planned.contains(site.name())) continue;
        plan = plan.withSiteAdded(site, targets);
        int w = plan.waveIndex(site.name());
        if (w >= 0) {
          planned.add(site.name());
          events.add(new AuditEvent(now, AuditEvent.ENGINE, r.id(), "site-joined", "site " + site.name() + " joined wave " + plan.wave(w).name()));
        }
      }
    }
    Rollout next = plan.equals(r.plan()) ? r : r.withPlan(plan);
    return new Step(next, List.of(), events, new Wait.Nothing());
  }
}
