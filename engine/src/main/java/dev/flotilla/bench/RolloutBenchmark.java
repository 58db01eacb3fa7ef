package dev.flotilla.bench;

import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.RolloutEngine;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.Commits;
import dev.flotilla.git.GitAuth;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.RenderException;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.store.WriteMeter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code flotilla bench rollout}: {@code releases} releases of the {@code telemetry} app (every
 * tier) in a row, each next one committed while the one before is mid-way (at its third wave), rolled
 * out through the five waves of a generated fleet by the real engine (Git repo, embedded H2, Quartz
 * wiring, the outbox and its delivery workers) to simulated sites that apply and become healthy at
 * once, optionally behind an adapter that takes {@code deliveryDelay} per delivery. Time is a stepped
 * clock: each round collects reports, runs one scheduling pass, lets the workers carry out what it
 * decided, lets the sites act, then one second passes. Per pass it measures CPU, wall, rows and
 * bytes written to the database and heap in use.
 */
public final class RolloutBenchmark {
  static final String APP = "telemetry";
  public static final double GOAL_CPU_MS_PER_SITE_UPDATE = 0.1;
  public static final double GOAL_PASS_P50_MS_10K = 100.0;
  public static final double GOAL_PASS_P50_MS_100K = 1000.0;
  public static final double GOAL_HEAP_MIB_100K = 1024.0;
  private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
  private static final Duration ROUND = Duration.ofSeconds(1);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final PersonIdent BENCH = new PersonIdent("Flotilla bench", "bench@flotilla.invalid");
  /** The wave (0-based) a rollout must have reached before the next release is committed: mid-way through five. */
  private static final int NEXT_RELEASE_AT_WAVE = 2;

  private final Path workDir;
  private final String kustomize;
  private final int maxPasses;
  private final Duration deliveryDelay;
  private final int deliveryThreads;
  private final PrintStream out;

  /** {@code maxPasses} bounds a run that does not complete, so a broken engine fails the benchmark instead of hanging it. */
  public RolloutBenchmark(Path workDir, String kustomize, int maxPasses, Duration deliveryDelay, int deliveryThreads, PrintStream out) {
    this.workDir = workDir;
    this.kustomize = kustomize;
    this.maxPasses = maxPasses;
    this.deliveryDelay = deliveryDelay;
    this.deliveryThreads = deliveryThreads;
    this.out = out;
  }

  /** One pass's measurements. */
  record PassRecord(int pass, long wallNanos, long cpuNanos, long rows, long bytes, long siteRows, int decided, long heapUsed) {}

  /** Runs the benchmark; returns the numbers in the order they are printed. */
  public Map<String, Object> run(int sites, int releases) throws IOException, GitAPIException, SQLException, InterruptedException, StoreException,
      GitSyncException, RenderException, FleetValidationException, SchedulingException {
    Map<String, Object> r = new LinkedHashMap<>();
    Path repo = workDir.resolve("fleet");
    FleetGenerator.write(repo, sites, List.of());
    r.put("sites", sites);
    r.put("app", APP);
    r.put("releases", releases);
    r.put("deliveryDelayMs", deliveryDelay.toMillis());
    r.put("deliveryThreads", deliveryThreads);
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("maxHeapMiB", HeapPeak.maxHeap() >> 20);
    SteppedClock clock = new SteppedClock(START);
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        SimulatedDelivery simulator = SimulatedDelivery.builder(clock).build()) {
      Commits.commitAll(git, "generated fleet of " + sites + " sites, no apps yet", BENCH);
      Delivery delivery = deliveryDelay.isZero() ? simulator : new SlowDelivery(simulator, deliveryDelay);
      try (Engine engine = Engine.start(config(repo, clock), delivery, new CiStatuses.Recorded(CiStatus.PASSED))) {
        awaitStartupJobs(engine);
        FleetGenerator.addApp(repo, APP);
        List<String> revisions = new ArrayList<>();
        revisions.add(Commits.commitAll(git, APP + ": release 1 to every site", BENCH));
        List<Double> syncs = new ArrayList<>();
        syncs.add(sync(engine));
        HeapPeak.reset();
        List<PassRecord> passes = drive(engine, simulator, clock, git, repo, revisions, releases, syncs);
        r.put("syncSeconds", syncs);
        summarize(engine, simulator, passes, revisions, r);
        r.put("peakHeapMiB", HeapPeak.bytes() >> 20);
        r.put("liveHeapAfterRunMiB", HeapPeak.liveAfterGc() >> 20);
      }
    }
    return r;
  }

  private EngineConfig config(Path repo, SteppedClock clock) {
    EngineConfig defaults = EngineConfig.defaults(repo.toString(), workDir.resolve("data"));
    // Hour-long job intervals: after their firing at start, the benchmark alone drives the engine.
    return new EngineConfig(defaults.repo(), null, GitAuth.NONE, defaults.dataDir(), null, null, null, "127.0.0.1", 0,
        Duration.ofHours(1), Duration.ofHours(1), false, kustomize, null, clock, deliveryThreads);
  }

  /**
   * Waits until the sync and tick jobs, which Quartz fires once as soon as the engine starts, have
   * run and finished: a pass there would overlap the measured ones. Quartz's own tables say when
   * they are over (fired once, nothing executing).
   */
  static void awaitStartupJobs(Engine engine) throws SQLException, InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    try (Connection c = engine.database().dataSource().getConnection(); Statement s = c.createStatement()) {
      while (true) {
        long fired = count(s, "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME IN ('sync', 'tick') AND PREV_FIRE_TIME > 0");
        // Only the two startup jobs: Quartz also lists a trigger it acquired ahead of its time (the
        // 15-second promotion pull request job is nearly always there), which is not running.
        long running = count(s, "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME IN ('sync', 'tick') AND STATE = 'EXECUTING'");
        if (fired == 2 && running == 0) return;
        if (Instant.now().isAfter(deadline)) {
          List<String> names = new ArrayList<>();
          try (ResultSet rs = s.executeQuery("SELECT TRIGGER_NAME, STATE FROM QRTZ_FIRED_TRIGGERS")) {
            while (rs.next()) names.add(rs.getString(1) + " " + rs.getString(2));
          }
          throw new IllegalStateException("the engine's startup jobs did not finish within " + STARTUP_TIMEOUT.toSeconds()
              + " s (fired " + fired + " of 2, " + running + " running: " + names + ")");
        }
        Thread.sleep(20);
      }
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The sync that finds a release: load, validate and render every site (rendering runs on a pool). */
  private double sync(Engine engine) throws StoreException, GitSyncException, FleetValidationException, SchedulingException {
    long t0 = System.nanoTime();
    engine.syncNow();
    double seconds = round((System.nanoTime() - t0) / 1e9);
    out.printf("  sync (load, validate, render, compare): %.2f s%n", seconds);
    return seconds;
  }

  /** Rounds until the last release completed and every site reported it; commits each next release mid-way through the one before. */
  private List<PassRecord> drive(Engine engine, SimulatedDelivery simulator, SteppedClock clock, Git git, Path repo,
      List<String> revisions, int releases, List<Double> syncs)
      throws IOException, GitAPIException, StoreException, GitSyncException, FleetValidationException, SchedulingException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    WriteMeter meter = engine.writes();
    List<PassRecord> passes = new ArrayList<>();
    int pass = 0;
    while (true) {
      Optional<RolloutView> current = rollout(engine, revisions.get(revisions.size() - 1));
      if (revisions.size() == releases && current.isPresent() && finished(current.get())) break;
      if (pass >= maxPasses) {
        throw new IllegalStateException("release " + revisions.size() + " did not finish in " + maxPasses + " passes: "
            + current.map(v -> v.state() + ", waiting on " + v.waitingOn()).orElse("no rollout"));
      }
      if (revisions.size() < releases && current.isPresent() && midway(current.get())) {
        FleetGenerator.touchOverlay(repo, APP, "edge", "1." + (revisions.size() + 1) + ".0");
        revisions.add(Commits.commitAll(git, APP + ": release " + (revisions.size() + 1), BENCH));
        syncs.add(sync(engine));
      }
      // Off the measured pass, as the background thread does in serve: reports and signals in, deliveries out.
      engine.gather();
      long rows0 = meter.rows();
      long bytes0 = meter.bytes();
      long sites0 = meter.siteRows();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      RolloutEngine.Pass p = engine.rollouts().tick();
      long wall = System.nanoTime() - wall0;
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      passes.add(new PassRecord(pass, wall, cpu, meter.rows() - rows0, meter.bytes() - bytes0, meter.siteRows() - sites0,
          p.deliveriesDecided(), HeapPeak.usedNow()));
      pass++;
      if (pass == 1 || pass % 10 == 0) {
        out.printf("  pass %d: %.1f ms wall, %.1f ms CPU, %d rows, %d bytes written (release %d %s)%n", pass, wall / 1e6, cpu / 1e6,
            meter.rows() - rows0, meter.bytes() - bytes0, revisions.size(), current.map(RolloutView::state).orElse("-"));
      }
      engine.workers().drain(Duration.ofMinutes(10));
      simulator.tick();
      clock.advance(ROUND);
    }
    return passes;
  }

  private static Optional<RolloutView> rollout(Engine engine, String revision) throws StoreException {
    return engine.operations().list().stream().filter(v -> v.revision().equals(revision) && v.kind().equals("RELEASE")).findFirst();
  }

  private static boolean midway(RolloutView view) {
    return view.state().equals("RUNNING") && view.currentWave() >= NEXT_RELEASE_AT_WAVE;
  }

  private static boolean finished(RolloutView view) {
    return view.state().equals("COMPLETED") && view.waves().stream().allMatch(w -> w.done() == w.total());
  }

  private void summarize(Engine engine, SimulatedDelivery simulator, List<PassRecord> passes, List<String> revisions,
      Map<String, Object> r) throws StoreException {
    PassTimes times = new PassTimes();
    long cpuTotal = 0;
    long rows = 0;
    long bytes = 0;
    long siteRows = 0;
    long changingBytes = 0;
    long decided = 0;
    long heap = 0;
    for (PassRecord p : passes) {
      times.add(p.wallNanos(), p.cpuNanos());
      cpuTotal += p.cpuNanos();
      rows += p.rows();
      bytes += p.bytes();
      siteRows += p.siteRows();
      if (p.siteRows() > 0) changingBytes += p.bytes();
      decided += p.decided();
      heap = Math.max(heap, p.heapUsed());
    }
    List<String> states = new ArrayList<>();
    for (String rev : revisions) states.add(rollout(engine, rev).map(RolloutView::state).orElse("none"));
    r.put("rolloutStates", states);
    r.put("passes", passes.size());
    r.put("siteUpdates", decided);
    r.put("deliveriesCarriedOut", engine.workers().delivered());
    r.put("failedDeliveryAttempts", engine.workers().failedAttempts());
    r.put("duplicateDeliveries", simulator.counters().duplicateDeliveries());
    r.put("applies", simulator.counters().applies());
    r.put("passP50Ms", round(times.medianWall() / 1e6));
    r.put("passMaxMs", round(times.maxWall() / 1e6));
    r.put("passCpuP50Ms", round(times.medianCpu() / 1e6));
    r.put("passCpuMaxMs", round(times.maxCpu() / 1e6));
    r.put("engineCpuSeconds", round(cpuTotal / 1e9));
    double perUpdate = decided == 0 ? 0 : cpuTotal / 1e6 / decided;
    r.put("cpuMsPerSiteUpdate", round(perUpdate));
    r.put("cpuRatio", round(perUpdate / GOAL_CPU_MS_PER_SITE_UPDATE));
    double goal = ((int) r.get("sites")) >= 100_000 ? GOAL_PASS_P50_MS_100K : GOAL_PASS_P50_MS_10K;
    r.put("passP50GoalMs", goal);
    r.put("passP50Ratio", round(times.medianWall() / 1e6 / goal));
    r.put("rowsWritten", rows);
    r.put("bytesWritten", bytes);
    r.put("siteRowsWritten", siteRows);
    r.put("bytesPerChangedSite", siteRows == 0 ? 0 : round((double) changingBytes / siteRows));
    r.put("maxHeapUsedAtPassEndMiB", heap >> 20);
    r.put("heapRatio1GiB", round((heap >> 20) / GOAL_HEAP_MIB_100K));
    r.put("perPass", passes.stream().map(p -> List.of(p.pass(), round(p.wallNanos() / 1e6), round(p.cpuNanos() / 1e6), p.rows(),
        p.bytes(), p.siteRows(), p.decided(), p.heapUsed() >> 20)).toList());
  }

  /** An adapter that takes {@code delay} for every delivery, as a push to a remote API server does. */
  static final class SlowDelivery implements Delivery {
    private final Delivery inner;
    private final Duration delay;

    SlowDelivery(Delivery inner, Duration delay) {
      this.inner = inner;
      this.delay = delay;
    }

    @Override
    public void deliver(SiteRelease release) throws DeliveryException {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException(release, "interrupted");
      }
      inner.deliver(release);
    }

    @Override
    public Optional<SiteReport> status(String site, String app) {
      return inner.status(site, app);
    }

    @Override
    public List<SiteReport> statuses(String app) {
      return inner.statuses(app);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
