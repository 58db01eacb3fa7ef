package dev.flotilla.engine;

import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.fleet.App;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.render.DesiredState;
import dev.flotilla.rollout.AuditEvent;
import dev.flotilla.rollout.DesiredRevision;
import dev.flotilla.rollout.FleetTime;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutAction;
import dev.flotilla.rollout.PlannedSite;
import dev.flotilla.rollout.RolloutKind;
import dev.flotilla.rollout.RolloutMachine;
import dev.flotilla.rollout.WindowSchedule;
import dev.flotilla.fleet.Window;
import java.time.ZoneId;
import java.time.ZoneOffset;
import dev.flotilla.rollout.RolloutPlan;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.SiteObservation;
import dev.flotilla.rollout.SiteStatus;
import dev.flotilla.rollout.Step;
import dev.flotilla.rollout.Supersession;
import dev.flotilla.store.RolloutFilter;
import dev.flotilla.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the rollout state machine decides: takes in releases, steps every active
 * rollout with what the sites report, stores each new snapshot (compare-and-set, with its audit
 * entries, in one transaction) and only then delivers. Delivery is idempotent and a site still
 * updating is delivered to again on every pass, so an engine killed between storing and
 * delivering resumes where it stopped: no site is skipped, and no transition is recorded twice.
 */
public final class RolloutEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);

  private final RolloutRepository repository;
  private final Delivery delivery;
  private final RevisionCatalog catalog;
  private final GateSignalsSource signals;
  private final Clock clock;
  private final RolloutMachine machine = new RolloutMachine();
  private final Map<String, String> retargetedAt = new ConcurrentHashMap<>();
  private volatile String fleetRevision;
  private volatile SiteIndex siteIndex;

  public RolloutEngine(RolloutRepository repository, Delivery delivery, RevisionCatalog catalog, GateSignalsSource signals, Clock clock) {
    this.repository = repository;
    this.delivery = delivery;
    this.catalog = catalog;
    this.signals = signals;
    this.clock = clock;
  }

  /** The fleet revision the engine follows now: site membership, windows and freezes come from it. */
  public void fleetRevision(String revision) {
    this.fleetRevision = revision;
  }

  public String fleetRevision() {
    return fleetRevision;
  }

  Clock clock() {
    return clock;
  }

  /** A new release: a rollout of its own, arranged against the app's other rollouts by the policy; nothing when its rollout exists. */
  public void onRelease(String app, String revision, boolean forced) throws Exception {
    Instant now = clock.instant();
    FleetModel model = catalog.model(revision);
    App declared = model.app(app).orElseThrow(() -> new IllegalArgumentException("no app " + app + " at " + revision));
    RolloutPolicy policy = model.policy(declared.policy()).orElseThrow();
    RolloutPlan plan = RolloutPlan.of(policy, WavePlanner.plan(policy, model.targets(declared)));
    List<Rollout> existing = appRollouts(app);
    String lastGood = Supersession.lastGoodRevision(existing).orElse(null);
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

  private List<Rollout> appRollouts(String app) throws StoreException {
    return repository.list(RolloutFilter.all().withApp(app)).stream().map(RolloutRepository.Loaded::rollout).toList();
  }

  static String rolloutId(String app, String revision) {
    return app + "-" + short12(revision);
  }

  /**
   * Lets the policy decide which of the app's rollouts runs (queue, supersede, start held ones). The
   * whole arrangement is written in one transaction, or not at all if any rollout changed meanwhile,
   * so two rollouts of one app never both run. A rollout that starts takes the app's newest
   * completed revision as the one to roll back to, as it is at that moment.
   */
  void arrange(String app, RolloutPolicy.Supersede mode, Instant now) throws StoreException {
    Map<String, RolloutRepository.Loaded> byId = new LinkedHashMap<>();
    for (RolloutRepository.Loaded l : repository.list(RolloutFilter.all().withApp(app))) byId.put(l.rollout().id(), l);
    List<Rollout> all = byId.values().stream().map(RolloutRepository.Loaded::rollout).toList();
    Supersession.Arrangement arrangement = Supersession.arrange(all, mode, now);
    if (arrangement.changed().isEmpty()) return;
    String lastGood = Supersession.lastGoodRevision(all).orElse(null);
    try {
      // A lost compare-and-set throws ArrangementRaced, which rolls the whole arrangement back.
      repository.transactions().inTransaction("arrange rollouts of " + app, c -> {
        for (Rollout changed : arrangement.changed()) {
          RolloutRepository.Loaded before = byId.get(changed.id());
          Rollout next = startsNow(before.rollout(), changed) && lastGood != null ? withLastGood(changed, lastGood) : changed;
          List<AuditEvent> events = arrangement.events().stream().filter(e -> e.rolloutId().equals(changed.id())).toList();
          if (!repository.write(c, before, next, events, now)) throw new ArrangementRaced(changed.id());
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

  private static Rollout withLastGood(Rollout r, String lastGood) {
    return new Rollout(r.id(), r.app(), r.revision(), lastGood, r.kind(), r.state(), r.reason(), r.plan(), r.currentWave(),
        r.waves(), r.sites(), r.createdAt(), r.haltedAt(), r.rollbackId());
  }

  /** One scheduling pass over every rollout that can still act. Returns the number of deliveries. */
  public int tick() throws Exception {
    Instant now = clock.instant();
    String followed = fleetRevision; // one fleet revision for the whole pass, even if a sync lands meanwhile
    FleetModel fleet = followed == null ? null : catalog.model(followed);
    FleetTime fleetTime = fleet == null ? FleetTime.ALWAYS : FleetTime.of(fleet.fleet());
    int deliveries = 0;
    Map<String, List<RolloutRepository.Loaded>> byApp = new LinkedHashMap<>();
    for (RolloutRepository.Loaded l : repository.list(RolloutFilter.all())) {
      byApp.computeIfAbsent(l.rollout().app(), a -> new ArrayList<>()).add(l);
    }
    for (Map.Entry<String, List<RolloutRepository.Loaded>> app : byApp.entrySet()) {
      try {
        deliveries += tickApp(app.getKey(), app.getValue(), followed, fleet, fleetTime, now);
      } catch (Exception e) {
        // One app's trouble (a render that fails at an old revision, a store error) must not starve the others.
        LOG.warn("pass: app {} failed this pass and is tried again next pass: {}", app.getKey(), e.toString());
      }
    }
    return deliveries;
  }

  private int tickApp(String app, List<RolloutRepository.Loaded> loaded, String followed, FleetModel fleet, FleetTime fleetTime,
      Instant now)
      throws Exception {
    Map<String, SiteObservation> observations = observations(app);
    int deliveries = 0;
    boolean ended = false;
    RolloutPolicy.Supersede mode = fleet == null ? RolloutPolicy.Supersede.QUEUE
        : fleet.app(app).flatMap(a -> fleet.policy(a.policy())).map(RolloutPolicy::supersede).orElse(RolloutPolicy.Supersede.QUEUE);
    for (RolloutRepository.Loaded l : loaded) {
      Rollout r = l.rollout();
      if (!steps(r.state())) continue;
      RolloutRepository.Loaded current = retarget(l, followed, fleet, now);
      Step step = machine.step(current.rollout(), observations, signals.signals(current.rollout()), fleetTime, now);
      if (step.next().equals(current.rollout()) && step.quiet()) continue;
      if (!repository.update(current, step.next(), step.events(), RolloutRepository.started(step.actions()), now)) {
        LOG.info("rollout {}: changed by someone else during the pass; it is stepped again next pass", r.id());
        continue;
      }
      step.actions().forEach(RolloutEngine::logRollback);
      if (step.next().state() != r.state() && !steps(step.next().state()) || step.next().state() == RolloutState.COMPLETED) {
        ended = true;
      }
    }
    if (ended || loaded.stream().anyMatch(l -> l.rollout().state() == RolloutState.QUEUED)) arrange(app, mode, now);
    deliveries += deliverUpdating(app, fleetTime, now);
    return deliveries;
  }

  /** States in which a rollout still acts: a completed one keeps updating sites that join later. */
  private static boolean steps(RolloutState state) {
    return state == RolloutState.RUNNING || state == RolloutState.PAUSED || state == RolloutState.COMPLETED;
  }

  /** Applies fleet membership changes (sites added or removed) once per fleet revision. */
  private RolloutRepository.Loaded retarget(RolloutRepository.Loaded l, String followed, FleetModel fleet, Instant now)
      throws StoreException {
    Rollout r = l.rollout();
    if (fleet == null || followed.equals(retargetedAt.get(r.id()))) return l;
    Optional<App> app = fleet.app(r.app());
    List<Site> targets = app.map(fleet::targets).orElse(List.of());
    Step step = machine.retarget(r, targets, now);
    if (step.next().equals(r)) {
      retargetedAt.put(r.id(), followed);
      return l;
    }
    // Only a stored change counts as done: after a lost race the next pass retargets again.
    if (!repository.update(l, step.next(), step.events(), now)) return l;
    retargetedAt.put(r.id(), followed);
    return repository.get(r.id()).orElse(l);
  }

  private Map<String, SiteObservation> observations(String app) {
    Map<String, SiteObservation> out = new HashMap<>();
    for (SiteReport report : delivery.statuses(app)) {
      if (report.revision() == null || report.observedAt() == null) continue;
      out.put(report.site(), new SiteObservation(report.site(), app, report.revision(), report.health() == Health.HEALTHY,
          report.health() == Health.FAILED, report.observedAt(), report.message()));
    }
    return out;
  }

  /** The rollbacks a stored step started were stored with it; sites are delivered to by {@link #deliverUpdating}. */
  private static void logRollback(RolloutAction action) {
    if (action instanceof RolloutAction.StartRollback start) {
      LOG.info("rollout {}: rollback started to {}", start.rollback().id(), short12(start.rollback().revision()));
    }
  }

  /**
   * Delivers to every site that is updating, once its state is stored: the sites a step just sent,
   * and again the ones sent before that have not confirmed (this is how a crash between storing and
   * delivering is recovered, and how an unreachable push site is retried). A site gets a revision
   * only when it is the one it should run now (the newest its wave has been promoted to), never
   * while a freeze holds for a release, and only inside its wave's window.
   */
  private int deliverUpdating(String app, FleetTime fleetTime, Instant now) throws Exception {
    List<Rollout> rollouts = appRollouts(app);
    // With one acting rollout, a site it is updating is in a wave it promoted: it is the site's
    // desired revision, and the per-site check (a scan of the plan) can be skipped.
    boolean alone = rollouts.stream().filter(x -> steps(x.state())).count() == 1;
    int n = 0;
    for (Rollout r : rollouts) {
      if (!steps(r.state())) continue;
      if (r.kind() == RolloutKind.RELEASE && fleetTime.freezeAt(now).isPresent()) continue;
      Map<String, Integer> waveOf = null;
      for (var e : r.sites().entrySet()) {
        if (e.getValue().status() != SiteStatus.UPDATING) continue;
        if (waveOf == null) waveOf = waveIndex(r); // built once per rollout, and only when a site is updating
        if (!insideWindow(r, waveOf, e.getKey(), fleetTime, now)) continue;
        if (alone || DesiredRevision.of(e.getKey(), rollouts).filter(r.revision()::equals).isPresent()) {
          n += deliver(r.id(), e.getKey(), app, r.revision());
        }
      }
    }
    return n;
  }

  /** Each site's wave in the rollout's plan. */
  private static Map<String, Integer> waveIndex(Rollout r) {
    Map<String, Integer> waveOf = new HashMap<>();
    for (int i = 0; i < r.plan().waves().size(); i++) {
      for (PlannedSite p : r.plan().wave(i).sites()) waveOf.put(p.site(), i);
    }
    return waveOf;
  }

  private static boolean insideWindow(Rollout r, Map<String, Integer> waveOf, String site, FleetTime fleetTime, Instant now) {
    Integer wave = waveOf.get(site);
    if (wave == null) return false;
    String name = r.plan().wave(wave).spec().gates().window();
    if (name == null) return true;
    Optional<Window> window = fleetTime.window(name);
    if (window.isEmpty()) return true;
    ZoneId zone = r.plan().wave(wave).sites().stream().filter(p -> p.site().equals(site)).findFirst()
        .map(PlannedSite::timezone).orElse(ZoneOffset.UTC);
    return WindowSchedule.isOpen(window.get(), zone, now);
  }

  private int deliver(String rolloutId, String siteName, String app, String revision) throws Exception {
    Optional<Site> site = site(siteName, revision);
    Optional<DesiredState> desired = site.isEmpty() ? Optional.empty() : catalog.desiredState(app, revision, site.get());
    if (desired.isEmpty()) {
      LOG.warn("rollout {}: no desired state of {}@{} for site {}; not delivered", rolloutId, app, short12(revision), siteName);
      return 0;
    }
    try {
      delivery.deliver(new SiteRelease(site.get(), app, revision, rolloutId, desired.get()));
      return 1;
    } catch (DeliveryException e) {
      LOG.warn("rollout {}: {}; retried next pass", rolloutId, e.getMessage());
      return 0;
    }
  }

  private Optional<Site> site(String name, String revision) throws Exception {
    Optional<Site> atRevision = sitesOf(catalog.model(revision)).find(name);
    if (atRevision.isPresent() || fleetRevision == null) return atRevision;
    return sitesOf(catalog.model(fleetRevision)).find(name);
  }

  /** The sites of one fleet model by name; {@link FleetModel#site} scans every site, and a pass may deliver to thousands. */
  private record SiteIndex(FleetModel model, Map<String, Site> byName) {
    static SiteIndex of(FleetModel model) {
      Map<String, Site> byName = new HashMap<>();
      for (Site s : model.sites()) byName.putIfAbsent(s.name(), s); // the first of a name, as FleetModel#site finds
      return new SiteIndex(model, byName);
    }

    Optional<Site> find(String name) {
      return Optional.ofNullable(byName.get(name));
    }
  }

  private SiteIndex sitesOf(FleetModel model) {
    SiteIndex index = siteIndex;
    // Models are cached by the catalog, so the same revision is the same instance: compared by identity.
    if (index == null || index.model() != model) {
      index = SiteIndex.of(model);
      siteIndex = index;
    }
    return index;
  }

  RolloutRepository repository() {
    return repository;
  }

  static String short12(String revision) {
    return revision.length() > 12 ? revision.substring(0, 12) : revision;
  }
}
