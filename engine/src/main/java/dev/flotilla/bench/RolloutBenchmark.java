package dev.flotilla.bench;

import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SimulationCounters;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.EngineException;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitAuth;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.RenderException;
import dev.flotilla.rollout.CiStatus;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.flotilla.git.Commits;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code flotilla bench rollout}: one release of the {@code telemetry} app (every tier) rolled out
 * through the five waves of a generated fleet by the real engine (Git repo, embedded H2, Quartz
 * wiring) to simulated sites that apply and become healthy at once. Time is a stepped clock: each
 * round is one scheduling pass ({@code tick}), then the sites act, then one second passes. It
 * measures the engine's CPU time per site update, each pass's wall time and the peak heap.
 */
public final class RolloutBenchmark {
  static final String APP = "telemetry";
  public static final double GOAL_CPU_MS_PER_SITE_UPDATE = 1.0;
  public static final double GOAL_PASS_MS = 200.0;
  public static final double GOAL_HEAP_MIB = 512.0;
  private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
  private static final Duration ROUND = Duration.ofSeconds(1);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final PersonIdent BENCH = new PersonIdent("Flotilla bench", "bench@flotilla.invalid");

  private final Path workDir;
  private final String kustomize;
  private final int maxPasses;
  private final PrintStream out;

  /** {@code maxPasses} bounds a run that does not complete, so a broken engine fails the benchmark instead of hanging it. */
  public RolloutBenchmark(Path workDir, String kustomize, int maxPasses, PrintStream out) {
    this.workDir = workDir;
    this.kustomize = kustomize;
    this.maxPasses = maxPasses;
    this.out = out;
  }

  /** Runs the benchmark; returns the numbers in the order they are printed. */
  public Map<String, Object> run(int sites) throws IOException, GitAPIException, SQLException, InterruptedException, StoreException,
      GitSyncException, RenderException, FleetValidationException, SchedulingException, EngineException {
    Map<String, Object> r = new LinkedHashMap<>();
    Path repo = workDir.resolve("fleet");
    FleetGenerator.write(repo, sites, List.of());
    r.put("sites", sites);
    r.put("app", APP);
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("maxHeapMiB", HeapPeak.maxHeap() >> 20);
    SteppedClock clock = new SteppedClock(START);
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        SimulatedDelivery simulator = SimulatedDelivery.builder(clock).build()) {
      Commits.commitAll(git, "generated fleet of " + sites + " sites, no apps yet", BENCH);
      try (Engine engine = Engine.start(config(repo, clock), simulator, new CiStatuses.Recorded(CiStatus.PASSED))) {
        awaitStartupJobs(engine);
        FleetGenerator.addApp(repo, APP);
        String release = Commits.commitAll(git, APP + ": release to every site", BENCH);
        sync(engine, r);
        // From here on the heap is the rollout's: the sync's rendering is the render benchmark's business.
        HeapPeak.reset();
        String id = engine.operations().list().stream().filter(v -> v.revision().equals(release)).findFirst()
            .orElseThrow(() -> new IllegalStateException("the sync of " + release + " created no rollout of " + APP))
            .id();
        RolloutView done = drive(engine, simulator, clock, id, r);
        r.put("peakHeapMiB", HeapPeak.bytes() >> 20);
        summarize(done, simulator.counters(), r);
        r.put("liveHeapAfterRolloutMiB", HeapPeak.liveAfterGc() >> 20);
      }
    }
    return r;
  }

  private EngineConfig config(Path repo, SteppedClock clock) {
    EngineConfig defaults = EngineConfig.defaults(repo.toString(), workDir.resolve("data"));
    // Hour-long job intervals: after their firing at start, the benchmark alone drives the engine.
    return new EngineConfig(defaults.repo(), null, GitAuth.NONE, defaults.dataDir(), null, null, null, "127.0.0.1", 0,
        Duration.ofHours(1), Duration.ofHours(1), false, kustomize, null, clock);
  }

  /**
   * Waits until the sync and tick jobs, which Quartz fires once as soon as the engine starts, have
   * run and finished: they run on Quartz's threads, and a pass there would overlap the measured
   * ones. The fleet has no app yet, so they find nothing to do; Quartz's own tables say when they
   * are over (fired once, nothing executing).
   */
  private static void awaitStartupJobs(Engine engine) throws SQLException, InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    try (Connection c = engine.database().dataSource().getConnection(); Statement s = c.createStatement()) {
      while (true) {
        long fired = count(s, "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME IN ('sync', 'tick') AND PREV_FIRE_TIME > 0");
        long running = count(s, "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS");
        if (fired == 2 && running == 0) return;
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("the engine's startup jobs did not finish within " + STARTUP_TIMEOUT.toSeconds()
              + " s (fired " + fired + " of 2, " + running + " running)");
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

  /** The sync that finds the release: load, validate and render every site (rendering runs on a pool). */
  private void sync(Engine engine, Map<String, Object> r)
      throws StoreException, GitSyncException, FleetValidationException, SchedulingException {
    long t0 = System.nanoTime();
    engine.syncNow();
    r.put("syncSeconds", round((System.nanoTime() - t0) / 1e9));
    out.printf("  sync (load, validate, render %s sites): %.2f s%n", r.get("sites"), (System.nanoTime() - t0) / 1e9);
  }

  /** Passes until the rollout completed and every site reported the release. */
  private RolloutView drive(Engine engine, SimulatedDelivery simulator, SteppedClock clock, String id, Map<String, Object> r)
      throws EngineException, StoreException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    PassTimes passes = new PassTimes();
    long firstWall = 0;
    long firstCpu = 0;
    long usedAtPassEnd = 0;
    int pass = 0;
    RolloutView view = engine.operations().get(id);
    while (!finished(view)) {
      if (pass >= maxPasses) {
        throw new IllegalStateException("rollout " + id + " did not finish in " + maxPasses + " passes: " + view.state()
            + ", waiting on " + view.waitingOn());
      }
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      engine.step();
      long wall = System.nanoTime() - wall0;
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      usedAtPassEnd = Math.max(usedAtPassEnd, HeapPeak.usedNow());
      if (pass == 0) {
        firstWall = wall;
        firstCpu = cpu;
      } else {
        passes.add(wall, cpu);
      }
      pass++;
      if (pass == 1 || pass % 10 == 0) out.printf("  pass %d: %.1f ms wall, %.1f ms CPU (%s, wave %d)%n", pass, wall / 1e6, cpu / 1e6,
          view.state(), view.currentWave() + 1);
      simulator.tick();
      clock.advance(ROUND);
      view = engine.operations().get(id);
    }
    r.put("passes", pass);
    r.put("firstPassMs", round(firstWall / 1e6));
    r.put("firstPassCpuMs", round(firstCpu / 1e6));
    r.put("maxPassMs", round(passes.maxWall() / 1e6));
    r.put("medianPassMs", round(passes.medianWall() / 1e6));
    r.put("maxPassCpuMs", round(passes.maxCpu() / 1e6));
    r.put("medianPassCpuMs", round(passes.medianCpu() / 1e6));
    r.put("maxHeapUsedAtPassEndMiB", usedAtPassEnd >> 20);
    r.put("engineCpuSeconds", round((passes.totalCpu() + firstCpu) / 1e9));
    return view;
  }

  private static boolean finished(RolloutView view) {
    return view.state().equals("COMPLETED") && view.waves().stream().allMatch(w -> w.done() == w.total());
  }

  private void summarize(RolloutView done, SimulationCounters counters, Map<String, Object> r) {
    int sitesInPlan = done.waves().stream().mapToInt(RolloutView.WaveView::total).sum();
    double cpuMs = (double) r.get("engineCpuSeconds") * 1000;
    double perUpdate = counters.deliveries() == 0 ? 0 : cpuMs / counters.deliveries();
    double worstPass = Math.max((double) r.get("firstPassMs"), (double) r.get("maxPassMs"));
    r.put("waves", done.waves().size());
    r.put("sitesInRollout", sitesInPlan);
    r.put("sitesDone", done.waves().stream().mapToInt(RolloutView.WaveView::done).sum());
    r.put("siteUpdates", counters.deliveries());
    r.put("duplicateDeliveries", counters.duplicateDeliveries());
    r.put("applies", counters.applies());
    r.put("cpuMsPerSiteUpdate", round(perUpdate));
    r.put("cpuRatio", round(perUpdate / GOAL_CPU_MS_PER_SITE_UPDATE));
    r.put("worstPassMs", worstPass);
    r.put("passRatio", round(worstPass / GOAL_PASS_MS));
    r.put("heapRatio", round(((long) r.get("maxHeapUsedAtPassEndMiB")) / GOAL_HEAP_MIB));
  }


  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
