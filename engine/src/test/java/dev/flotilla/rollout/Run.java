package dev.flotilla.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Drives one rollout through steps with a fake clock and site reports; records every action and event. */
final class Run {
  final RolloutMachine machine = new RolloutMachine();
  Rollout rollout;
  Instant now = Fixtures.T0;
  GateSignals signals = GateSignals.NONE;
  FleetTime time = FleetTime.ALWAYS;
  final Map<String, SiteObservation> observations = new HashMap<>();
  final List<RolloutAction> actions = new ArrayList<>();
  final List<AuditEvent> events = new ArrayList<>();
  Step last;

  Run(Rollout rollout) {
    this.rollout = rollout;
  }

  Step step() {
    last = machine.step(rollout, observations, signals, time, now);
    rollout = last.next();
    actions.addAll(last.actions());
    events.addAll(last.events());
    return last;
  }

  Run after(Duration d) {
    now = now.plus(d);
    return this;
  }

  /** The site reports the rollout's revision now. */
  Run done(String site, boolean healthy) {
    observations.put(site, new SiteObservation(site, rollout.app(), rollout.revision(), healthy, false, now));
    return this;
  }

  Run failed(String site) {
    observations.put(site, new SiteObservation(site, rollout.app(), rollout.revision(), false, true, now, "CrashLoopBackOff"));
    return this;
  }

  /** Every site that was sent the release and has not confirmed reports it, healthy. */
  Run allSentReport() {
    rollout.sites().forEach((site, p) -> {
      if (p.status() == SiteStatus.UPDATING) done(site, true);
    });
    return this;
  }

  List<String> updatedSites() {
    return actions.stream()
        .filter(a -> a instanceof RolloutAction.UpdateSite)
        .map(a -> ((RolloutAction.UpdateSite) a).site())
        .toList();
  }

  List<String> lastUpdatedSites() {
    return last.actions().stream()
        .filter(a -> a instanceof RolloutAction.UpdateSite)
        .map(a -> ((RolloutAction.UpdateSite) a).site())
        .toList();
  }

  List<String> eventKinds() {
    return events.stream().map(AuditEvent::kind).toList();
  }
}
