package dev.flotilla.app;

import dev.flotilla.api.AccessGuard;
import dev.flotilla.api.AccessTokens;
import dev.flotilla.api.ApiRoutes;
import dev.flotilla.api.GitLabWebhookRoutes;
import dev.flotilla.api.PlanRoutes;
import dev.flotilla.api.HttpServer;
import dev.flotilla.api.Json;
import dev.flotilla.api.RouteTable;
import dev.flotilla.delivery.Delivery;
import dev.flotilla.engine.AnalysisSource;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.FleetSync;
import dev.flotilla.engine.GateSignalsSource;
import dev.flotilla.engine.PrometheusAnalysis;
import dev.flotilla.engine.RecordingReleaseSink;
import dev.flotilla.engine.RevisionCatalog;
import dev.flotilla.engine.RolloutEngine;
import dev.flotilla.engine.RolloutOperations;
import dev.flotilla.engine.RolloutRepository;
import dev.flotilla.engine.DeliveryWorkers;
import dev.flotilla.engine.ReportCollector;
import dev.flotilla.engine.DriftChecker;
import dev.flotilla.store.JdbcDriftStore;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.view.SyncView;
import dev.flotilla.api.GitHubWebhookRoutes;
import dev.flotilla.provider.github.GitHubWebhooks;
import dev.flotilla.provider.github.WebhookSender;
import dev.flotilla.provider.gitlab.GitLabWebhooks;
import dev.flotilla.provider.github.PullRequestPreview;
import dev.flotilla.engine.RevisionPlanner;
import dev.flotilla.provider.github.RolloutStatusPublisher;
import dev.flotilla.provider.github.SignatureStatus;
import dev.flotilla.provider.PromotionPullRequests;
import dev.flotilla.engine.PromotionMerges;
import dev.flotilla.store.JdbcWebhookDeliveries;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.store.JdbcOutbox;
import dev.flotilla.store.JdbcGateSignals;
import dev.flotilla.store.JdbcSiteReports;
import dev.flotilla.store.JdbcTokens;
import dev.flotilla.store.JdbcQuarantine;
import dev.flotilla.engine.PromotionScheduler;
import dev.flotilla.engine.Quarantine;
import dev.flotilla.engine.SyncAttempts;
import dev.flotilla.engine.port.Quarantined;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.store.WriteMeter;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderException;
import dev.flotilla.schedule.EngineJobs;
import dev.flotilla.schedule.FreezeCalendar;
import dev.flotilla.schedule.Schedulers;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcApprovals;
import dev.flotilla.store.JdbcAuditLog;
import dev.flotilla.store.JdbcReleases;
import dev.flotilla.store.JdbcRolloutStore;
import dev.flotilla.store.JdbcScheduledPromotions;
import dev.flotilla.store.JdbcSyncAttempts;
import dev.flotilla.store.JdbcSyncState;
import dev.flotilla.engine.port.SyncState;
import dev.flotilla.store.JdbcTransactions;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running engine ({@code flotilla serve}, the demo, tests): the object graph built in one
 * readable place from an {@link EngineConfig} and a {@link Delivery}, Quartz jobs that sync the
 * fleet repo and step the rollouts, and the HTTP API. Closing stops the API, then Quartz, then the
 * database.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private static final String SCHEDULER = "flotilla";
  private static final String FREEZES = "fleet-freezes";

  private final EngineConfig config;
  private final Database db;
  private final FleetRepoSource source;
  private final FleetRenderer renderer;
  private final RolloutEngine rollouts;
  private final RolloutOperations operations;
  private final FleetSync sync;
  private final JdbcSyncState syncState;
  private final RevisionCatalog catalog;
  private final GateSignalsSource signals;
  private final DeliveryWorkers workers;
  private final ReportCollector collector;
  private final DriftChecker drift;
  private final RolloutRepository repository;
  private final ScheduledExecutorService background;
  private final WriteMeter writes;
  private final String branch;
  private final RouteTable deliveryRoutes;
  private final AccessTokens tokens;
  private final Quarantine quarantine;
  private final SyncAttempts attempts;
  private final GitProvider provider;
  private final CiStatuses ci;
  private final RolloutStatusPublisher rolloutStatuses;
  private final SignatureStatus signatureStatus;
  /** Opens the promotion pull requests of {@code approval: pull-request} waves; null without a provider that posts. */
  private final PromotionPullRequests promotionRequests;
  private final JdbcAuditLog audit;
  /** How often the promotion pull request job looks for waves that need one, and its first backoff. */
  static final Duration PROMOTION_REQUEST_EVERY = Duration.ofSeconds(15);
  private final ScheduledExecutorService providerThread;
  private final java.util.concurrent.ExecutorService webhookWork;
  private final java.util.concurrent.atomic.AtomicBoolean syncQueued = new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean signalsQueued = new java.util.concurrent.atomic.AtomicBoolean();
  private final JdbcWebhookDeliveries webhookDeliveries;
  private Scheduler scheduler;
  private HttpServer http;

  private Engine(EngineConfig config, DeliveryWiring wiring, CiStatuses ci, AnalysisSource analysis, GitProvider provider)
      throws StoreException, GitSyncException, RenderException {
    this.config = config;
    this.provider = provider;
    this.ci = ci;
    DatabaseSettings settings = config.dbUrl() == null
        ? DatabaseSettings.embedded(config.dataDir())
        : DatabaseSettings.of(config.dbUrl(), config.dbUser(), config.dbPassword());
    DataFolderMark mark = new DataFolderMark(config.dataDir());
    if (config.dbUrl() == null) {
      try {
        mark.check(config.reinitialize());
      } catch (java.io.IOException e) {
        throw new StoreException("check the data folder " + config.dataDir(), e);
      }
    }
    this.db = Database.open(settings);
    if (config.dbUrl() == null) {
      try {
        mark.mark(config.clock().instant());
      } catch (java.io.IOException e) {
        db.close();
        throw new StoreException("mark the data folder " + config.dataDir(), e);
      }
    }
    Workspace workspace = new Workspace(config.dataDir());
    try {
      this.source = FleetRepoSource.open(config.repo(), workspace.cacheDir(), config.auth());
    } catch (Exception e) {
      db.close(); // the repo cannot be opened: release the database (and H2's file lock) before failing
      throw e;
    }
    Delivery delivery;
    try {
      delivery = wiring.delivery(db);
    } catch (StoreException | RuntimeException e) {
      source.close();
      db.close();
      throw e;
    }
    this.deliveryRoutes = wiring.routes();
    this.branch = config.branch() != null ? config.branch() : source.defaultBranch();
    this.renderer = Rendering.renderer(config.kustomize(), workspace.cacheDir(), Runtime.getRuntime().availableProcessors(),
        Duration.ofSeconds(60));
    this.catalog = new RevisionCatalog(source, renderer);
    JdbcTransactions tx = db.transactions();
    this.syncState = new JdbcSyncState(tx);
    this.attempts = new SyncAttempts(new JdbcSyncAttempts(tx), source.location(), branch, Schedulers.hostName());
    JdbcRolloutStore store = new JdbcRolloutStore(tx);
    JdbcAuditLog audit = new JdbcAuditLog(tx, store.meter());
    this.writes = store.meter();
    JdbcOutbox outbox = new JdbcOutbox(tx, store.meter());
    JdbcSiteReports reports = new JdbcSiteReports(tx, store.meter(), db.vendor());
    RolloutEngine.FollowedRevision followed = () -> syncState.get(source.location(), branch).flatMap(SyncState::lastSyncedCommit);
    this.quarantine = new Quarantine(new JdbcQuarantine(tx), audit, config.clock());
    this.repository = new RolloutRepository(tx, store, audit, outbox, quarantine);
    this.signals = new GateSignalsSource(ci, analysis, new JdbcGateSignals(tx));
    this.rollouts = new RolloutEngine(repository, reports::changedSince, catalog, signals, followed, config.clock());
    this.tokens = new AccessTokens(new JdbcTokens(tx), audit, config.clock());
    this.workers = new DeliveryWorkers(outbox, delivery, catalog, followed, reports, config.clock(), new SplittableRandom(),
        config.deliveryBackoff(), config.deliveryTimeout(), config.deliveryThreads());
    this.collector = new ReportCollector(delivery, reports,
        () -> repository.liveApps());
    JdbcDriftStore driftStore = new JdbcDriftStore(tx);
    // Two threads: a round reads every push site's applied objects, one GET each, and must not crowd out deliveries.
    this.drift = new DriftChecker(delivery, catalog, followed, reports, driftStore, outbox, audit, tx, config.clock(),
        config.driftInterval().isZero() ? EngineConfig.DEFAULT_DRIFT_INTERVAL : config.driftInterval(), 2);
    this.operations = new RolloutOperations(rollouts, new JdbcApprovals(tx), audit, new JdbcScheduledPromotions(tx),
        new PromotionScheduler() {
          @Override
          public void schedule(String promotionId, java.time.Instant at) throws SchedulingException {
            schedulePromotion(promotionId, at);
          }

          @Override
          public Optional<java.time.Instant> firstRun(java.time.Instant at) {
            return Engine.this.firstRun(at);
          }
        }, reports, catalog, signals, this::syncNow, this::syncStatus, new JdbcReleases(tx), driftStore);
    PromotionMerges merges = new PromotionMerges(source, repository, operations, audit, config.clock(),
        dev.flotilla.provider.PromotionPullRequests.AUTHOR_EMAIL);
    this.sync = new FleetSync(source, branch, catalog,
        new RecordingReleaseSink(source.location(), new JdbcReleases(tx), syncState, audit, rollouts, config.clock()), merges::arrived,
        config.pinnedSigners());
    this.promotionRequests = provider != null && provider.posts()
        ? new PromotionPullRequests(provider.api(), provider.repo(), source, branch, config.clock(),
            PROMOTION_REQUEST_EVERY, Duration.ofMinutes(10))
        : null;
    this.audit = audit;
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "flotilla-background");
      t.setDaemon(true);
      return t;
    });
    this.rolloutStatuses = provider != null && provider.posts() ? provider.rolloutStatuses(config.clock()) : null;
    this.signatureStatus = provider != null && provider.posts() ? new SignatureStatus(provider.api(), provider.repo()) : null;
    // Its own thread: a slow or failing provider delays statuses, never a pass or a delivery.
    this.providerThread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "flotilla-provider");
      t.setDaemon(true);
      return t;
    });
    this.webhookWork = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "flotilla-webhooks");
      t.setDaemon(true);
      return t;
    });
    this.webhookDeliveries = new JdbcWebhookDeliveries(tx);
  }

  /**
   * The webhook routes, when the provider has a webhook secret; none otherwise. GitLab has its own
   * route. A GitHub-compatible provider may be GitHub or Gitea/Forgejo, so both of theirs are
   * served, each checking its own signature header with the same secret.
   */
  private RouteTable webhookRoutes() {
    if (provider == null || provider.webhookSecret() == null) return r -> { };
    if (provider.kind() == GitProvider.Kind.GITLAB) {
      return new GitLabWebhookRoutes(new GitLabWebhooks(provider.webhookSecret(), provider.repo(), () -> branch, webhookDeliveries,
          webhookActions(), config.clock()));
    }
    RouteTable github = webhookRoutes(WebhookSender.GITHUB);
    RouteTable gitea = webhookRoutes(WebhookSender.GITEA);
    return r -> {
      github.addTo(r);
      gitea.addTo(r);
    };
  }

  private RouteTable webhookRoutes(WebhookSender sender) {
    return new GitHubWebhookRoutes(new GitHubWebhooks(sender, provider.webhookSecret(), provider.repo(), () -> branch,
        webhookDeliveries, webhookActions(), config.clock()));
  }

  /** What a webhook asks the engine to do, queued on its own threads. */
  private GitHubWebhooks.Actions webhookActions() {
    return new GitHubWebhooks.Actions() {
      @Override
      public void syncSoon(String why) {
        queueSync(why);
      }

      @Override
      public void refreshGateSignalsSoon(String why) {
        queueSignalRefresh(why);
      }

      @Override
      public void previewSoon(PullRequestPreview.PullRequest pr, String why) {
        queuePreview(pr, why);
      }
    };
  }

  /**
   * Queues a sync on the webhook thread; a burst of pushes queues one sync at a time (the flag is
   * cleared as the sync starts, so a push during a sync queues one more, which sees the newest commit).
   */
  private void queueSync(String why) {
    if (!syncQueued.compareAndSet(false, true)) return;
    webhookWork.execute(() -> {
      syncQueued.set(false);
      try {
        LOG.info("engine: sync for {} at {}", why, syncNow());
      } catch (Exception e) {
        LOG.warn("engine: sync for {} failed; polling tries again: {}", why, e.toString());
      }
    });
  }

  /**
   * Queues the plan preview of a pull request on the webhook thread: fetch (a URL repo's branches,
   * and a fork's head from the provider's pull request ref), plan base → head, comment, status.
   * Needs a token to post.
   */
  private void queuePreview(PullRequestPreview.PullRequest pr, String why) {
    if (!provider.posts()) {
      LOG.info("engine: {}: no provider token, so no plan preview of {}#{}", why, pr.repo(), pr.number());
      return;
    }
    // A Quartz job in the database, one per pull request: a crash after the 202 does not lose it.
    try {
      JobDetail job = EngineJobs.PreviewJob.detail(SCHEDULER, pr.repo(), pr.number(), pr.baseSha(), pr.headSha(), why);
      scheduler.scheduleJob(job, Set.of(EngineJobs.PreviewJob.now(job)), true);
    } catch (SchedulerException | RuntimeException e) {
      LOG.warn("engine: {}: the plan preview of {}#{} could not be queued in the job store ({}); previewing now, not kept across a restart",
          why, pr.repo(), pr.number(), e.toString());
      webhookWork.execute(() -> {
        try {
          preview(pr.repo(), pr.number(), pr.baseSha(), pr.headSha(), why);
        } catch (Exception failure) {
          LOG.warn("engine: plan preview of {}#{} for {} failed: {}", pr.repo(), pr.number(), why, failure.toString());
        }
      });
    }
  }

  /** Fetch (a URL repo's branches, and a fork's head from the provider's pull request ref), plan base → head, comment, status. */
  private void preview(String repo, int number, String base, String head, String why) throws Exception {
    PullRequestPreview.PullRequest pr = new PullRequestPreview.PullRequest(repo, number, base, head);
    RevisionPlanner planner = new RevisionPlanner(source, renderer, config.clock());
    PullRequestPreview preview = new PullRequestPreview(provider.api(), (from, to) -> {
      // A fork's head is on no branch of the fleet repo; the provider keeps it under a pull request
      // ref. A head found nowhere is the preview's error status.
      source.fetchCommit(to, provider.kind().pullRequestHead(pr.number()));
      return planner.plan(from, to);
    });
    source.fetch(branch);
    LOG.info("engine: plan preview of {}#{} for {}", repo, number, why);
    preview.preview(pr);
  }

  /** Queues a refresh of the gate signals on the background thread, where they are always fetched; one queued at a time. */
  private void queueSignalRefresh(String why) {
    if (!signalsQueued.compareAndSet(false, true)) return;
    background.execute(() -> {
      signalsQueued.set(false);
      ci.stale();
      try {
        signals.refresh(repository.live().stream().map(v -> v.rollout()).toList(), config.clock().instant());
      } catch (StoreException | RuntimeException e) {
        LOG.warn("engine: refreshing gate signals for {} failed; refreshed again shortly: {}", why, e.toString());
      }
    });
  }

  /**
   * What happens between passes, off the pass: sites' reports collected from the adapter, gate
   * signals fetched for the waves that wait on them, due delivery intents handed to the workers.
   */
  private void between() throws StoreException {
    gather();
    workers.dispatch();
  }

  /** Brings in what the next pass reads: the sites' reports from the adapter, and the gate signals of the waves that wait on them. */
  public void gather() throws StoreException {
    collector.collect();
    signals.refresh(repository.live().stream().map(v -> v.rollout()).toList(), config.clock().instant());
  }

  /**
   * One whole round, driven by the caller (tests, the demo, benchmarks): reports and signals
   * brought in, a scheduling pass, then every delivery it decided carried out before returning.
   */
  public RolloutEngine.Pass step() throws StoreException {
    gather();
    RolloutEngine.Pass pass = rollouts.tick();
    workers.drain(Duration.ofSeconds(120));
    return pass;
  }

  /** Rows and bytes written by the rollout store, the outbox, site reports and the audit log, since start. */
  public WriteMeter writes() {
    return writes;
  }

  public DeliveryWorkers workers() {
    return workers;
  }

  /** Builds the engine, syncs once, starts the jobs and the API. */
  public static Engine start(EngineConfig config, Delivery delivery, CiStatuses ci)
      throws StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException {
    return start(config, delivery, ci, analysis(config));
  }

  /** As {@link #start(EngineConfig, Delivery, CiStatuses)}, with the analysis gate's values from {@code analysis} (the demo's simulated sites). */
  public static Engine start(EngineConfig config, Delivery delivery, CiStatuses ci, AnalysisSource analysis)
      throws StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException {
    return start(config, DeliveryWiring.of(delivery), ci, analysis);
  }

  /**
   * As {@link #start(EngineConfig, Delivery, CiStatuses)}, with a delivery made once the database is
   * open and serving its own routes next to the API (pull delivery: {@link PullDelivery}).
   */
  public static Engine start(EngineConfig config, DeliveryWiring delivery, CiStatuses ci)
      throws StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException {
    return start(config, delivery, ci, analysis(config));
  }

  /** As {@link #start(EngineConfig, DeliveryWiring, CiStatuses)}, with the analysis gate's values from {@code analysis}. */
  public static Engine start(EngineConfig config, DeliveryWiring delivery, CiStatuses ci, AnalysisSource analysis)
      throws StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException {
    return start(config, delivery, ci, analysis, null);
  }

  /**
   * As {@link #start(EngineConfig, DeliveryWiring, CiStatuses)}, with a Git provider ({@code null}:
   * none): the ci gate reads its statuses, rollouts are published as commit statuses on it.
   */
  public static Engine start(EngineConfig config, DeliveryWiring delivery, GitProvider provider)
      throws StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException {
    return start(config, delivery, provider.ci(config.clock()), analysis(config), provider);
  }

  /** As {@link #start(EngineConfig, DeliveryWiring, GitProvider)}, with the ci gate's statuses and the analysis values from the given sources. */
  public static Engine start(EngineConfig config, DeliveryWiring delivery, CiStatuses ci, AnalysisSource analysis, GitProvider provider)
      throws StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException {
    Engine engine = new Engine(config, delivery, ci, analysis, provider);
    try {
      engine.refuseAnOpenNonLoopbackApi();
      engine.syncNow();
      engine.startJobs();
      ApiRoutes api = new ApiRoutes(engine.operations, engine.tokens);
      RouteTable routes = r -> {
        api.addTo(r);
        engine.deliveryRoutes.addTo(r);
        engine.webhookRoutes().addTo(r);
        new PlanRoutes(new RevisionPlanner(engine.source, engine.renderer, engine.config.clock())).addTo(r);
      };
      engine.http = HttpServer.start(config.listenHost(), config.listenPort(), routes, Json.mapper(),
          AccessGuard.of(engine.tokens, config.listenHost(), config.allowedHosts()));
      LOG.info("engine: following {} branch {} at {}; API on {}", engine.source.location(), engine.branch,
          engine.rollouts.fleetRevision().orElse("(nothing synced)"), engine.http.uri());
      return engine;
    } catch (Exception e) {
      engine.close();
      throw e;
    }
  }

  /**
   * An API reachable from other machines is never open: without any token, {@code serve} does not
   * start there. On loopback without tokens it is open (the laptop default), with a warning.
   */
  private void refuseAnOpenNonLoopbackApi() throws StoreException {
    if (tokens.required()) return;
    if (!AccessGuard.isLoopback(config.listenHost())) {
      throw new StartRefusedException("refusing to serve the API on " + config.listenHost()
          + " without access tokens: anyone who reaches it could steer rollouts. Create one first with"
          + " 'flotilla tokens create NAME --role admin' (same --data-dir/--db-url), or listen on 127.0.0.1");
    }
    LOG.warn("api: no access tokens exist, so the API on loopback is open to every local process (actor 'local');"
        + " create one with 'flotilla tokens create NAME --role admin' to require tokens");
  }

  /** The API's bearer tokens. */
  public AccessTokens tokens() {
    return tokens;
  }

  private static AnalysisSource analysis(EngineConfig config) {
    if (config.prometheusUrl() == null) return AnalysisSource.NONE;
    PrometheusAnalysis prometheus = new PrometheusAnalysis(config.prometheusUrl(), Duration.ofSeconds(10));
    return (spec, sites) -> {
      try {
        OptionalDouble value = prometheus.evaluate(spec.query(), sites);
        return value.isPresent() ? AnalysisSource.Result.of(value.getAsDouble()) : AnalysisSource.Result.none("the query returned no sample");
      } catch (PrometheusAnalysis.AnalysisException e) {
        LOG.warn("analysis: {}", e.getMessage());
        return AnalysisSource.Result.none(e.getMessage());
      }
    };
  }

  /** Syncs the fleet repo now; one sync at a time. Returns the revision the engine follows. */
  public synchronized String syncNow() throws StoreException, GitSyncException, FleetValidationException, SchedulingException {
    String last = syncState.get(source.location(), branch).flatMap(SyncState::lastSyncedCommit).orElse(null);
    FleetSync.Outcome outcome = sync.sync(last);
    attempts.add(config.clock().instant(), outcome);
    publishSignatureStatus(outcome);
    String revision = outcome.revision();
    updateFreezeCalendar(revision);
    return revision;
  }

  /** Sends {@code flotilla/signature} for a refused or a signed revision, on the provider's thread: a sync never waits for it. */
  private void publishSignatureStatus(FleetSync.Outcome outcome) {
    if (signatureStatus == null || outcome.attempted() == null || (!outcome.refused() && outcome.signedBy() == null)) return;
    String commit = outcome.attempted();
    providerThread.execute(() -> {
      try {
        if (outcome.refused()) signatureStatus.refused(commit, outcome.error());
        else signatureStatus.accepted(commit, outcome.signedBy());
      } catch (Exception e) {
        LOG.warn("provider: status {} of {} not sent: {}", SignatureStatus.CONTEXT, commit, e.getMessage());
      }
    });
  }

  /** Keeps the fleet's freezes as a Quartz calendar: scheduled promotions do not fire inside one. */
  private void updateFreezeCalendar(String revision) throws GitSyncException, FleetValidationException, SchedulingException {
    if (scheduler == null || revision == null) return;
    FreezeCalendar freezes = new FreezeCalendar(catalog.model(revision).fleet().freezes());
    try {
      setFreezes(freezes);
    } catch (SchedulerException | StoreException e) {
      throw new SchedulingException("update the freeze calendar to revision " + revision, e);
    }
  }

  /**
   * Replaces the freeze calendar. A stored promotion the new freezes would hold for good (or for
   * more than a year) is set aside in quarantine first: Quartz would otherwise step its trigger
   * minute by minute through the freeze (minutes of work for a freeze of decades) and leave it
   * never firing, without a word. A promotion set aside earlier that the new freezes let run is
   * scheduled again.
   */
  private void setFreezes(FreezeCalendar freezes) throws SchedulerException, StoreException {
    java.util.List<dev.flotilla.engine.port.ScheduledPromotion> revived = new java.util.ArrayList<>();
    for (var pending : operations.pendingPromotions()) {
      JobKey key = JobKey.jobKey(pending.id(), SCHEDULER);
      boolean scheduled = scheduler.checkExists(key);
      Optional<String> held = heldForGood(freezes, pending.at());
      if (scheduled && held.isPresent()) {
        scheduler.deleteJob(key);
        quarantine.add(Quarantined.SCHEDULED_PROMOTION, pending.id(), Optional.empty(),
            "promotion of rollout " + pending.rolloutId() + " at " + pending.at() + " would never run: " + held.get());
      } else if (!scheduled && held.isEmpty() && isQuarantined(pending.id())) {
        revived.add(pending);
      }
    }
    scheduler.addCalendar(FREEZES, freezes, true, true);
    for (var pending : revived) {
      try {
        schedulePromotion(pending.id(), pending.at());
        quarantine.release(Quarantined.SCHEDULED_PROMOTION, pending.id());
      } catch (SchedulingException e) {
        LOG.warn("engine: promotion {} stays in quarantine: {}", pending.id(), e.getMessage());
      }
    }
  }

  private boolean isQuarantined(String promotionId) throws StoreException {
    return quarantine.items().stream().anyMatch(q -> q.kind().equals(Quarantined.SCHEDULED_PROMOTION) && q.id().equals(promotionId));
  }

  /** Why {@code freezes} would keep a promotion at {@code at} from running within a year; empty when it runs. */
  private Optional<String> heldForGood(org.quartz.Calendar freezes, java.time.Instant at) {
    Optional<java.time.Instant> first = firstRun(freezes, at);
    if (first.isEmpty()) return Optional.of("a freeze holds it for good");
    if (first.get().isAfter(config.clock().instant().plus(Duration.ofDays(365)))) {
      return Optional.of("a freeze holds it until " + first.get() + ", more than a year from now");
    }
    return Optional.empty();
  }

  /** When a promotion asked for {@code at} would first run under the current freezes; empty when never. */
  private Optional<java.time.Instant> firstRun(java.time.Instant at) {
    try {
      org.quartz.Calendar freezes = scheduler == null ? null : scheduler.getCalendar(FREEZES);
      return freezes == null ? Optional.of(at) : firstRun(freezes, at);
    } catch (SchedulerException e) {
      return Optional.of(at); // cannot tell now: scheduling will, and a failure there is refused too
    }
  }

  private static Optional<java.time.Instant> firstRun(org.quartz.Calendar freezes, java.time.Instant at) {
    try {
      return Optional.of(java.time.Instant.ofEpochMilli(freezes.getNextIncludedTime(Math.max(1, at.toEpochMilli()))));
    } catch (RuntimeException never) {
      return Optional.empty();
    }
  }

  /** The followed revision, the last sync attempt and the 20 most recent ones, from the store (so every replica agrees). */
  public SyncView syncStatus() throws StoreException {
    return syncStatus(dev.flotilla.engine.FleetOperations.SYNC_ATTEMPTS);
  }

  /** As {@link #syncStatus()}, with up to {@code limit} recent attempts, newest first. */
  public SyncView syncStatus(int limit) throws StoreException {
    Optional<SyncState> state = syncState.get(source.location(), branch);
    return new SyncView(source.location(), branch, state.flatMap(SyncState::lastSyncedCommit).orElse(null),
        state.map(SyncState::lastAttemptAt).orElse(null), state.flatMap(SyncState::lastError).orElse(null), attempts.recent(limit));
  }

  private void startJobs() throws StoreException, GitSyncException, FleetValidationException, SchedulingException {
    try {
      scheduleJobs();
    } catch (SchedulerException e) {
      throw new SchedulingException("start the engine's jobs", e);
    }
  }

  private void scheduleJobs()
      throws SchedulerException, StoreException, GitSyncException, FleetValidationException, SchedulingException {
    scheduler = Schedulers.create(db, SCHEDULER, config.clustered(), 4, Map.of(
        EngineJobs.SyncJob.class, new EngineJobs.SyncJob(this::syncNow),
        EngineJobs.TickJob.class, new EngineJobs.TickJob(() -> {
          if (rollouts.tick().deliveriesDecided() > 0) background.execute(this::betweenLogged);
        }),
        EngineJobs.PromotionJob.class, new EngineJobs.PromotionJob(operations::runScheduledPromotion),
        EngineJobs.DriftJob.class, new EngineJobs.DriftJob(this::checkDriftInterruptibly),
        EngineJobs.PromotionRequestJob.class, new EngineJobs.PromotionRequestJob(this::requestPromotions),
        EngineJobs.PreviewJob.class, new EngineJobs.PreviewJob(this::preview)));
    Optional<String> followed = rollouts.fleetRevision();
    setFreezes(new FreezeCalendar(followed.isEmpty() ? java.util.List.of() : catalog.model(followed.get()).fleet().freezes()));
    repeat(EngineJobs.SyncJob.class, "sync", config.syncInterval());
    for (var pending : operations.pendingPromotions()) {
      // Recorded but never scheduled (a crash in between) or scheduled in a job store that was lost.
      if (scheduler.checkExists(org.quartz.JobKey.jobKey(pending.id(), SCHEDULER))) continue;
      try {
        schedulePromotion(pending.id(), pending.at());
        quarantine.release(Quarantined.SCHEDULED_PROMOTION, pending.id());
      } catch (SchedulingException e) {
        // One promotion Quartz cannot schedule must not keep the engine from starting.
        quarantine.add(Quarantined.SCHEDULED_PROMOTION, pending.id(), Optional.empty(),
            "promotion of rollout " + pending.rolloutId() + " at " + pending.at() + " cannot be scheduled: " + e.getMessage());
      }
    }
    repeat(EngineJobs.TickJob.class, "tick", config.tickInterval());
    if (promotionRequests != null) {
      repeat(EngineJobs.PromotionRequestJob.class, "promotion-requests", PROMOTION_REQUEST_EVERY);
    } else {
      scheduler.deleteJob(JobKey.jobKey("promotion-requests", SCHEDULER)); // no provider since the last start
    }
    if (config.driftInterval().isZero()) {
      scheduler.deleteJob(JobKey.jobKey("drift", SCHEDULER)); // turned off since the last start
    } else {
      repeatAfterOne(EngineJobs.DriftJob.class, "drift", config.driftInterval());
    }
    scheduler.start();
    long every = Math.max(50, config.tickInterval().toMillis() / 5);
    background.scheduleWithFixedDelay(this::betweenLogged, every, every, TimeUnit.MILLISECONDS);
    if (rolloutStatuses != null) providerThread.scheduleWithFixedDelay(this::publishLogged, 1, 1, TimeUnit.SECONDS);
    if (provider != null) providerThread.scheduleWithFixedDelay(this::forgetOldDeliveries, 1, 60, TimeUnit.MINUTES);
  }

  /**
   * Publishes the rollouts' commit statuses that changed and are due (on the provider's own thread
   * when running; tests call it). Reads the newest rollouts' views: a cheap read, never a pass.
   */
  public int publishRolloutStatuses() throws StoreException {
    if (rolloutStatuses == null) return 0;
    try {
      rolloutStatuses.offer(operations.list(0, 100));
    } catch (dev.flotilla.engine.BadRequestException e) {
      throw new IllegalStateException("the newest 100 rollouts are a valid page", e);
    }
    return rolloutStatuses.publishDue();
  }

  /**
   * Opens the promotion pull requests that waves with {@code approval: pull-request} wait for (the
   * Quartz job {@code promotion-requests}, off the scheduling pass; tests call it). Each one opened
   * is audited ({@code promotion-requested}); returns how many were opened or found.
   */
  public int requestPromotions() throws StoreException {
    if (promotionRequests == null) return 0;
    var opened = promotionRequests.requestDue(repository.live().stream().map(v -> v.rollout()).toList(),
        syncState.get(source.location(), branch).flatMap(SyncState::lastSyncedCommit));
    for (var o : opened) {
      if (o.existed()) continue;
      audit.append(dev.flotilla.engine.port.AuditEntry.forRollout(config.clock().instant(), dev.flotilla.rollout.AuditEvent.ENGINE,
          o.rolloutId(), o.app(), "promotion-requested", "pull request #" + o.pullRequest().number() + " opened for wave " + o.wave()
              + ": " + o.pullRequest().url()));
    }
    return opened.size();
  }

  /** GitHub redelivers for a few days at most; a delivery id older than two weeks is not kept. */
  private void forgetOldDeliveries() {
    try {
      webhookDeliveries.forgetBefore(config.clock().instant().minus(Duration.ofDays(14)));
    } catch (StoreException | RuntimeException e) {
      LOG.warn("engine: forgetting old webhook deliveries failed: {}", e.toString());
    }
  }

  private void publishLogged() {
    try {
      publishRolloutStatuses();
    } catch (StoreException | RuntimeException e) {
      LOG.warn("engine: publishing rollout statuses failed; tried again shortly: {}", e.toString());
    }
  }

  private void betweenLogged() {
    try {
      between();
    } catch (StoreException | RuntimeException e) {
      LOG.warn("engine: collecting reports or dispatching deliveries failed; tried again shortly: {}", e.toString());
    }
  }

  private void repeat(Class<? extends org.quartz.Job> type, String name, Duration every) throws SchedulerException {
    JobDetail job = JobBuilder.newJob(type).withIdentity(name, SCHEDULER).storeDurably().build();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, SCHEDULER).forJob(job).startNow()
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(every.toMillis()).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
    scheduler.scheduleJob(job, Set.of(trigger), true);
  }

  /** As {@link #repeat}, first firing one interval from now: a check right at start would find every site mid-delivery. */
  private void repeatAfterOne(Class<? extends org.quartz.Job> type, String name, Duration every) throws SchedulerException {
    JobDetail job = JobBuilder.newJob(type).withIdentity(name, SCHEDULER).storeDurably().build();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, SCHEDULER).forJob(job)
        .startAt(new Date(System.currentTimeMillis() + every.toMillis()))
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(every.toMillis()).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
    scheduler.scheduleJob(job, Set.of(trigger), true);
  }

  /**
   * One round of drift checks of push sites now (the drift job runs it every {@code
   * --drift-interval}; tests call it): the findings recorded, and heal intents added for apps with
   * {@code selfHeal: true}, which the delivery workers carry out.
   */
  public DriftChecker.Round checkDrift() throws StoreException, GitSyncException, FleetValidationException, InterruptedException {
    return drift.checkAll();
  }

  private void checkDriftInterruptibly() throws StoreException, GitSyncException, FleetValidationException {
    try {
      drift.checkAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the scheduler is shutting down
    }
  }

  private void schedulePromotion(String promotionId, java.time.Instant at) throws SchedulingException {
    try {
      org.quartz.Calendar freezes = scheduler.getCalendar(FREEZES);
      Optional<String> held = freezes == null ? Optional.empty() : heldForGood(freezes, at);
      if (held.isPresent()) {
        throw new SchedulingException("schedule promotion " + promotionId + " at " + at, new IllegalStateException(held.get()));
      }
    } catch (SchedulerException e) {
      throw new SchedulingException("read the freeze calendar for promotion " + promotionId, e);
    }
    JobDetail job = JobBuilder.newJob(EngineJobs.PromotionJob.class).withIdentity(promotionId, SCHEDULER)
        .usingJobData(EngineJobs.PromotionJob.PROMOTION_ID, promotionId).build();
    // The trigger's time is in the engine's clock; the scheduler runs on the machine's clock.
    long delay = Math.max(0, Duration.between(config.clock().instant(), at).toMillis());
    // Repeating, under the freeze calendar: inside a freeze it fires when the freeze ends (the job
    // removes itself after the first firing).
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(promotionId, SCHEDULER)
        .startAt(new Date(System.currentTimeMillis() + delay)).modifiedByCalendar(FREEZES)
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMinutes(1).repeatForever()).build();
    try {
      scheduler.scheduleJob(job, trigger);
    } catch (SchedulerException e) {
      throw new SchedulingException("schedule promotion " + promotionId + " at " + at, e);
    }
  }

  public RolloutOperations operations() {
    return operations;
  }

  public RolloutEngine rollouts() {
    return rollouts;
  }

  public Database database() {
    return db;
  }

  public java.net.URI apiUri() {
    return http.uri();
  }

  @Override
  public void close() {
    // Each part is closed even when an earlier one fails, the database last.
    closing("the API", () -> { if (http != null) http.close(); });
    closing("the scheduler", () -> { if (scheduler != null) scheduler.shutdown(true); });
    closing("the background jobs", () -> {
      background.shutdownNow();
      background.awaitTermination(10, TimeUnit.SECONDS);
    });
    closing("the provider thread", () -> {
      providerThread.shutdownNow();
      providerThread.awaitTermination(10, TimeUnit.SECONDS);
    });
    closing("the webhook work", () -> {
      webhookWork.shutdownNow();
      webhookWork.awaitTermination(10, TimeUnit.SECONDS);
    });
    closing("the drift checks", drift::close);
    closing("the delivery workers", workers::close);
    closing("the renderer", renderer::close);
    closing("the fleet repo", source::close);
    closing("the database", db::close);
  }

  /** Something to close. */
  private interface Closing {
    void run() throws SchedulerException, InterruptedException;
  }

  private static void closing(String what, Closing step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("engine: closing {}: {}", what, e.toString());
    }
  }
}
