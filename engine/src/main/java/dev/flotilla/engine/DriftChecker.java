package dev.flotilla.engine;

import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.drift.DriftDecision;
import dev.flotilla.drift.FieldDrift;
import dev.flotilla.drift.SiteDrift;
import dev.flotilla.engine.port.AuditEntry;
import dev.flotilla.engine.port.AuditLog;
import dev.flotilla.engine.port.DeliveryIntent;
import dev.flotilla.engine.port.DriftStore;
import dev.flotilla.engine.port.Outbox;
import dev.flotilla.engine.port.SiteReportStore;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.StoredReport;
import dev.flotilla.engine.port.Transactions;
import dev.flotilla.fleet.App;
import dev.flotilla.fleet.ApplyOptions;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Site;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.RenderException;
import dev.flotilla.rollout.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic drift check of push sites: for every app a push site reports running (a release
 * applied there, not failed), the adapter compares the cluster with that release as rendered for
 * the site ({@link Delivery#drift}: reads only), and the finding is recorded per site and app with
 * the time of the check. Starting to drift and coming back in sync are audited once each. When the
 * app says {@code selfHeal: true}, a drifted site gets a delivery intent of its current release in
 * the outbox (a key of its own per heal), at most once per interval, in the same transaction as the
 * finding: the delivery workers carry it out like any other, the checker never applies.
 *
 * <p>A site with a delivery waiting, under way or carried out within the last interval is left for
 * the next round: its cluster may hold a newer release than its report says yet, and healing it
 * would put the older one back. The same holds again, in the recording transaction, for a
 * delivery decided while the cluster was read. An unreachable site is skipped: nothing is concluded
 * and nothing recorded. Runs off the scheduling pass, the sites checked by a few threads of its
 * own, each one GET per rendered object.
 */
public final class DriftChecker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriftChecker.class);
  /** The rollout id heal intents carry: they belong to no rollout. */
  public static final String HEAL = "self-heal";

  private final Delivery delivery;
  private final RevisionCatalog catalog;
  private final RolloutEngine.FollowedRevision followed;
  private final SiteReportStore reports;
  private final DriftStore drift;
  private final Outbox outbox;
  private final AuditLog audit;
  private final Transactions tx;
  private final Clock clock;
  private final Duration interval;
  private final ExecutorService pool;

  /** What one round did: sites checked (in sync or drifted), drifted, heals decided, sites not reachable, sites left for later. */
  public record Round(int checked, int drifted, int healed, int unreachable, int skipped) {}

  private enum Outcome { IN_SYNC, DRIFTED, HEALED, UNREACHABLE, SKIPPED }

  public DriftChecker(Delivery delivery, RevisionCatalog catalog, RolloutEngine.FollowedRevision followed, SiteReportStore reports,
      DriftStore drift, Outbox outbox, AuditLog audit, Transactions tx, Clock clock, Duration interval, int threads) {
    this.delivery = delivery;
    this.catalog = catalog;
    this.followed = followed;
    this.reports = reports;
    this.drift = drift;
    this.outbox = outbox;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
    this.interval = interval;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "flotilla-drift-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Checks every push site that runs a release, and waits until each is done; one round at a time. */
  public synchronized Round checkAll() throws StoreException, GitSyncException, FleetValidationException, InterruptedException {
    Optional<String> now = followed.get();
    if (now.isEmpty()) return new Round(0, 0, 0, 0, 0);
    FleetModel fleet = catalog.model(now.get());
    Instant start = clock.instant();
    List<Callable<Outcome>> checks = new ArrayList<>();
    for (StoredReport r : reports.all()) {
      Optional<Site> site = fleet.site(r.site());
      Optional<App> app = fleet.app(r.app());
      if (site.isEmpty() || app.isEmpty() || site.get().delivery() != dev.flotilla.fleet.Delivery.PUSH) continue;
      if (!delivery.readsDrift(site.get())) continue; // simulated sites: nothing to read
      if (r.revision() == null || r.health().equals("FAILED")) continue; // nothing applied whole to compare with
      checks.add(() -> check(r.site(), r.app(), r.revision(), app.get().apply().selfHeal(), start));
    }
    int[] counts = new int[Outcome.values().length];
    for (Future<Outcome> f : pool.invokeAll(checks)) {
      try {
        counts[f.get().ordinal()]++;
      } catch (ExecutionException e) {
        counts[Outcome.SKIPPED.ordinal()]++;
        LOG.warn("drift: a check failed and is tried next round: {}", e.getCause().toString());
      }
    }
    int drifted = counts[Outcome.DRIFTED.ordinal()] + counts[Outcome.HEALED.ordinal()];
    Round round = new Round(counts[Outcome.IN_SYNC.ordinal()] + drifted, drifted, counts[Outcome.HEALED.ordinal()],
        counts[Outcome.UNREACHABLE.ordinal()], counts[Outcome.SKIPPED.ordinal()]);
    LOG.info("drift: {} site(s) checked, {} drifted, {} healed, {} unreachable, {} left for the next round", round.checked(),
        round.drifted(), round.healed(), round.unreachable(), round.skipped());
    return round;
  }

  private Outcome check(String siteName, String app, String revision, boolean selfHeal, Instant start) throws Exception {
    Instant settled = start.minus(interval);
    if (!tx.inTransaction("read the deliveries of " + app + " to " + siteName, u -> outbox.quietSince(u, app, siteName, settled))) {
      return Outcome.SKIPPED;
    }
    Optional<SiteRelease> release = release(siteName, app, revision);
    if (release.isEmpty()) return Outcome.SKIPPED;
    Optional<Map<String, List<FieldDrift>>> found;
    try {
      found = delivery.drift(release.get());
    } catch (DeliveryException e) {
      if (e.retryable()) {
        LOG.debug("drift: site {} not read for {}: {}", siteName, app, e.getMessage());
        return Outcome.UNREACHABLE;
      }
      LOG.warn("drift: site {} refused to be read for {}: {}", siteName, app, e.getMessage());
      return Outcome.SKIPPED;
    }
    if (found.isEmpty()) return Outcome.SKIPPED;
    Instant at = clock.instant();
    SiteDrift observed = SiteDrift.observed(siteName, app, revision, found.get(), at);
    return tx.inTransaction("record the drift of " + app + " at " + siteName, u -> {
      if (!outbox.quietSince(u, app, siteName, settled)) return Outcome.SKIPPED; // a delivery came in while the cluster was read
      DriftDecision.Step step = DriftDecision.decide(drift.get(u, siteName, app), observed, selfHeal, interval);
      drift.put(u, step.record());
      String release1 = app + "@" + short12(revision);
      switch (step.change()) {
        case STARTED -> audit.append(u, entry(at, app, "drift-detected", "site " + siteName + " drifted from " + release1 + ": "
            + observed.objects() + " object(s): " + String.join("; ", observed.fields().subList(0, Math.min(5, observed.fields().size())))));
        case CLEARED -> audit.append(u, entry(at, app, "drift-cleared", "site " + siteName + " is back in sync with " + release1));
        case NONE -> { }
      }
      if (!step.heal()) return step.record().drifting() ? Outcome.DRIFTED : Outcome.IN_SYNC;
      DeliveryIntent heal = new DeliveryIntent("heal/" + app + "/" + siteName + "/" + at.toEpochMilli(), HEAL, "heal", siteName, app,
          revision, "push", 0, at, null);
      outbox.add(u, List.of(heal), at);
      audit.append(u, entry(at, app, "drift-heal", "site " + siteName + ": " + release1 + " re-applied (selfHeal) for "
          + observed.objects() + " drifted object(s)"));
      return Outcome.HEALED;
    });
  }

  private Optional<SiteRelease> release(String siteName, String app, String revision)
      throws StoreException, GitSyncException, FleetValidationException, RenderException {
    Optional<Site> site = catalog.site(revision, siteName);
    if (site.isEmpty()) {
      Optional<String> now = followed.get();
      if (now.isPresent()) site = catalog.site(now.get(), siteName);
    }
    if (site.isEmpty()) return Optional.empty();
    Optional<DesiredState> desired = catalog.desiredState(app, revision, site.get());
    // The fields ignored are those of the release as it was applied.
    ApplyOptions apply = catalog.model(revision).applyOptions(app);
    Site target = site.get();
    return desired.map(d -> new SiteRelease(target, app, revision, HEAL, d, apply));
  }

  private static AuditEntry entry(Instant at, String app, String kind, String message) {
    return new AuditEntry(at, AuditEvent.ENGINE, Optional.empty(), Optional.of(app), kind, message, Optional.empty());
  }

  private static String short12(String revision) {
    return revision.length() > 12 ? revision.substring(0, 12) : revision;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
