package dev.flotilla.engine;

import dev.flotilla.fleet.App;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.rollout.AuditEvent;
import dev.flotilla.rollout.FleetTime;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutAction;
import dev.flotilla.rollout.RolloutMachine;
import dev.flotilla.rollout.RolloutPlan;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.SiteObservation;
import dev.flotilla.rollout.Step;
import dev.flotilla.rollout.Supersession;
import dev.flotilla.rollout.Wait;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.SiteReportStore.ReportChanges;
import dev.flotilla.engine.port.RecordedSignals;
import dev.flotilla.engine.port.StoredReport;
import dev.flotilla.engine.port.VersionedRollout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling pass: reads stored state (live rollouts, the sites' reports, recorded gate
 * signals), steps the pure state machine, and stores each new snapshot with its audit entries and
 * the deliveries it decided (outbox intents) in one compare-and-set transaction. It calls no
 * adapter, Git provider or metrics backend: delivery workers carry the intents out, and what sites
 * report reaches the next pass through the store. A crash anywhere leaves the decision and its
 * intents stored together, or neither.
 */
public final class RolloutEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);

  /** The revision of the fleet repo the store says was synced last: every replica follows the same one. */
  @FunctionalInterface
  public interface FollowedRevision {
    Optional<String> get() throws StoreException;
  }

  private final RolloutRepository repository;
  private final SiteReports reports;
  private final RevisionCatalog catalog;
  private final GateSignalsSource signals;
  private final FollowedRevision followed;
  private final Clock clock;
  private final RolloutMachine machine = new RolloutMachine();
  private final Map<String, String> retargetedAt = new ConcurrentHashMap<>();
  private final Map<String, String> waitRecorded = new ConcurrentHashMap<>();
  /**
   * How often a pass reads every report of an app instead of those changed since its last read: a
   * write that took its change number before another but committed after it is read then at the latest.
   */
  static final Duration FULL_READ_EVERY = Duration.ofSeconds(30);

  /** Per app, every observation the passes read so far, the change number read up to, and when all were last read. */
  private final Map<String, KnownReports> known = new ConcurrentHashMap<>();

  private static final class KnownReports {
    final Map<String, SiteObservation> all = new HashMap<>();
    long upTo = -1;
    Instant fullAt;
  }
  /** Per rollout, the version this process left it at when it last stepped it. */
  private final Map<String, Long> steppedAt = new ConcurrentHashMap<>();

  public RolloutEngine(RolloutRepository repository, SiteReports reports, RevisionCatalog catalog, GateSignalsSource signals,
      FollowedRevision followed, Clock clock) {
    this.repository = repository;
    this.reports = reports;
    this.catalog = catalog;
    this.signals = signals;
    this.followed = followed;
    this.clock = clock;
  }

  /** The fleet revision the engine follows now, as the store records it. */
  public Optional<String> fleetRevision() throws StoreException {
    return followed.get();
  }

  Clock clock() {
    return clock;
  }

  /** A new release: a rollout of its own, arranged against the app's other rollouts by the policy; nothing when its rollout exists. */
  public void onRelease(String app, String revision, boolean forced) throws StoreException, GitSyncException, FleetValidationException {
    Instant now = now();
    FleetModel model = catalog.model(revision);
    App declared = model.app(app).orElseThrow(() -> new IllegalArgumentException("no app " + app + " at " + revision));
    RolloutPolicy policy = model.policy(declared.policy()).orElseThrow();
    RolloutPlan plan = RolloutPlan.of(policy, WavePlanner.plan(policy, model.targets(declared)));
    String lastGood = repository.transactions().inTransaction("find the last good revision of " + app,
        c -> repository.store().lastCompletedRevision(c, app)).orElse(null);
    String id = rolloutId(app, revision);
    Rollout rollout = forced
        ? Rollout.held(id, app, revision, lastGood, plan, "force push: " + revision + " does not descend from the last synced"
            + " revision; approve to roll it out", now)
        : Rollout.queued(id, app, revision, lastGood, plan, now);
    AuditEvent created = new AuditEvent(now, AuditEvent.ENGINE, id, "release",
        "release " + app + "@" + short12(revision) + (forced ? " held (force push)" : " queued") + ": "
            + plan.waves().size() + " waves, " + plan.siteNames().size() + " sites");
    if (repository.insert(rollout, List.of(created), now)) {
      LOG.info("rollout {}: created for {}@{}{}", id, app, short12(revision), forced ? " (held: force push)" : "");
      arrange(app, policy.supersede(), now);
    }
  }

  static String rolloutId(String app, String revision) {
    return app + "-" + short12(revision);
  }

  /**
   * Lets the policy decide which of the app's live rollouts runs (queue, supersede, retire, start
   * held ones). The whole arrangement is written in one transaction, or not at all if any rollout
   * changed meanwhile, so two rollouts of one app never both run. A rollout that starts takes the
   * app's newest completed revision as the one to roll back to, as it is at that moment.
   */
  void arrange(String app, RolloutPolicy.Supersede mode, Instant now) throws StoreException {
    Map<String, VersionedRollout> byId = new LinkedHashMap<>();
    for (VersionedRollout v : repository.live()) {
      if (v.rollout().app().equals(app)) byId.put(v.id(), v);
    }
    List<Rollout> all = byId.values().stream().map(VersionedRollout::rollout).toList();
    Supersession.Arrangement arrangement = Supersession.arrange(all, mode, now);
    if (arrangement.changed().isEmpty()) return;
    try {
      // A lost compare-and-set throws ArrangementRaced, which rolls the whole arrangement back.
      repository.transactions().inTransaction("arrange rollouts of " + app, c -> {
        String lastGood = repository.store().lastCompletedRevision(c, app).orElse(null);
        for (Rollout changed : arrangement.changed()) {
          VersionedRollout before = byId.get(changed.id());
          Rollout next = startsNow(before.rollout(), changed) && lastGood != null ? changed.withLastGoodRevision(lastGood) : changed;
          List<AuditEvent> events = arrangement.events().stream().filter(e -> e.rolloutId().equals(changed.id())).toList();
          if (!repository.write(c, before, next, events, List.of(), now)) throw new ArrangementRaced(changed.id());
        }
        return null;
      });
    } catch (ArrangementRaced raced) {
      LOG.info("rollout {}: changed by someone else while arranging {}; the next pass arranges again", raced.getMessage(), app);
    }
  }

  /** Rolls an arrangement back when one of its rollouts changed since it was read. */
  private static final class ArrangementRaced extends RuntimeException {
    ArrangementRaced(String id) {
      super(id, null, false, false);
    }
  }

  private static boolean startsNow(Rollout before, Rollout after) {
    return before.state() != RolloutState.RUNNING && after.state() == RolloutState.RUNNING;
  }

  /** What one pass did: the deliveries it decided, and the rollouts it changed. */
  public record Pass(int deliveriesDecided, int rolloutsChanged) {}

  /** One scheduling pass over every live rollout. */
  public Pass tick() throws StoreException {
    Instant now = now();
    Optional<String> revision = followed.get(); // one fleet revision for the whole pass, even if a sync lands meanwhile
    FleetModel fleet = null;
    if (revision.isPresent()) {
      try {
        fleet = catalog.model(revision.get());
      } catch (GitSyncException | FleetValidationException e) {
        // Without the fleet's windows and freezes a pass could promote inside a freeze: skip it.
        LOG.warn("pass: the followed revision {} cannot be loaded ({}); no rollout is stepped", short12(revision.get()), e.getMessage());
        return new Pass(0, 0);
      }
    }
    FleetTime fleetTime = fleet == null ? FleetTime.ALWAYS : FleetTime.of(fleet.fleet());
    Map<String, List<VersionedRollout>> byApp = new LinkedHashMap<>();
    for (VersionedRollout v : repository.live()) byApp.computeIfAbsent(v.rollout().app(), a -> new ArrayList<>()).add(v);
    int decided = 0;
    int changed = 0;
    // The gate signals as stored (fetched off the pass): one read for the whole pass.
    Map<String, RecordedSignals> gates = byApp.isEmpty() ? Map.of() : signals.recorded();
    for (Map.Entry<String, List<VersionedRollout>> app : byApp.entrySet()) {
      try {
        Pass p = tickApp(app.getKey(), app.getValue(), revision.orElse(null), fleet, fleetTime, gates, now);
        decided += p.deliveriesDecided();
        changed += p.rolloutsChanged();
      } catch (StoreException | RuntimeException e) {
        known.remove(app.getKey()); // the next pass reads every report and gives every rollout of the app every observation
        // One app's trouble (a stored rollout that cannot be read, a store error) must not starve the others.
        LOG.warn("pass: app {} failed this pass and is tried again next pass: {}", app.getKey(), e.toString());
      }
    }
    return new Pass(decided, changed);
  }

  private Pass tickApp(String app, List<VersionedRollout> live, String revision, FleetModel fleet, FleetTime fleetTime,
      Map<String, RecordedSignals> gates, Instant now) throws StoreException {
    Observations observations = null;
    int decided = 0;
    int changed = 0;
    boolean rearrange = false;
    RolloutPolicy.Supersede mode = fleet == null ? RolloutPolicy.Supersede.QUEUE
        : fleet.app(app).flatMap(a -> fleet.policy(a.policy())).map(RolloutPolicy::supersede).orElse(RolloutPolicy.Supersede.QUEUE);
    for (VersionedRollout v : live) {
      Rollout r = v.rollout();
      if (r.state() == RolloutState.QUEUED) rearrange = true;
      if (!r.acting()) continue;
      if (observations == null) observations = observations(app, now); // one query per app, and only when a rollout acts
      VersionedRollout current = retarget(v, revision, fleet, now);
      // Ingesting an observation twice changes nothing; a rollout left as this process stepped it needs only the new ones.
      Long stepped = steppedAt.get(r.id());
      Map<String, SiteObservation> seen = stepped != null && stepped == current.version() ? observations.changed() : observations.all();
      Step step = machine.step(current.rollout(), seen, GateSignalsSource.signals(gates, current.rollout()), fleetTime, now);
      String wait = step.waitingOn() instanceof Wait.Nothing ? "" : step.waitingOn().describe();
      String newWait = wait.equals(waitRecorded.get(r.id())) ? null : wait;
      if (step.quiet() && step.next().equals(current.rollout())) {
        if (newWait != null) recordWait(r.id(), newWait);
        steppedAt.put(r.id(), current.version());
        continue;
      }
      if (!repository.update(current, step.next(), step.events(), step.actions(), newWait, now)) {
        LOG.info("rollout {}: changed by someone else during the pass; it is stepped again next pass", r.id());
        steppedAt.remove(r.id());
        continue;
      }
      steppedAt.put(r.id(), current.version() + 1);
      if (newWait != null) waitRecorded.put(r.id(), newWait);
      changed++;
      for (RolloutAction a : step.actions()) {
        if (a instanceof RolloutAction.UpdateSite) decided++;
        if (a instanceof RolloutAction.StartRollback start) {
          LOG.info("rollout {}: rollback started to {}", start.rollback().id(), short12(start.rollback().revision()));
        }
      }
      if (step.next().state() != r.state()) rearrange = true;
    }
    if (rearrange) arrange(app, mode, now);
    return new Pass(decided, changed);
  }

  /** The observations of an app's sites now, and those that differ from the last pass's. */
  private record Observations(Map<String, SiteObservation> all, Map<String, SiteObservation> changed) {}

  /** Stores what the rollout waits on when it changed, so the API shows it without stepping the machine. */
  private void recordWait(String id, String text) throws StoreException {
    repository.transactions().inTransaction("record what " + id + " waits on", c -> {
      repository.store().waitingOn(c, id, text.isEmpty() ? null : text);
      return null;
    });
    waitRecorded.put(id, text);
  }

  /** Applies fleet membership changes (sites added or removed) once per fleet revision. */
  private VersionedRollout retarget(VersionedRollout v, String revision, FleetModel fleet, Instant now) throws StoreException {
    Rollout r = v.rollout();
    if (fleet == null || revision.equals(retargetedAt.get(r.id()))) return v;
    Optional<App> app = fleet.app(r.app());
    List<Site> targets = app.map(fleet::targets).orElse(List.of());
    Step step = machine.retarget(r, targets, now);
    if (step.next().equals(r)) {
      retargetedAt.put(r.id(), revision);
      return v;
    }
    // Only a stored change counts as done: after a lost race the next pass retargets again.
    if (!repository.update(v, step.next(), step.events(), List.of(), null, now)) return v;
    retargetedAt.put(r.id(), revision);
    return new VersionedRollout(step.next(), v.version() + 1);
  }

  /**
   * The app's observations: every one known, and those that changed since the last pass read them.
   * Reads only the reports recorded since then, and all of them every {@link #FULL_READ_EVERY}.
   */
  private Observations observations(String app, Instant now) throws StoreException {
    KnownReports k = known.computeIfAbsent(app, a -> new KnownReports());
    boolean full = k.fullAt == null || !now.isBefore(k.fullAt.plus(FULL_READ_EVERY));
    ReportChanges read = reports.changedSince(app, full ? -1 : k.upTo);
    Map<String, SiteObservation> changed = new HashMap<>();
    for (StoredReport report : read.reports()) {
      if (report.revision() == null || report.observedAt() == null) continue;
      SiteObservation o = new SiteObservation(report.site(), app, report.revision(), report.health().equals("HEALTHY"),
          report.health().equals("FAILED"), report.observedAt(), report.message());
      SiteObservation before = k.all.put(report.site(), o);
      if (!o.equals(before)) changed.put(report.site(), o);
    }
    k.upTo = read.upTo();
    if (full) k.fullAt = now;
    return new Observations(Collections.unmodifiableMap(k.all), changed);
  }

  private Instant now() {
    // The store keeps microseconds: a snapshot kept in memory must equal the one read back.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  RolloutRepository repository() {
    return repository;
  }

  static String short12(String revision) {
    return revision.length() > 12 ? revision.substring(0, 12) : revision;
  }
}
