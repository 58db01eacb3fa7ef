package dev.flotilla.bench;

import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.push.PushAdapter;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.Commits;
import dev.flotilla.git.GitAuth;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.RenderException;
import dev.flotilla.rollout.CiStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code flotilla bench push}: one release of one app (a Namespace and a Deployment) applied to N
 * push sites by the real engine (Git repo, embedded H2, the outbox and its bounded delivery
 * workers, the push adapter with its shared event loop and bounded site clients), against one
 * {@link SlowApiServer} on loopback that answers every site under its own path prefix, each request
 * after a fixed latency (20 ms). Real time: the engine is stepped (reports in, a pass, its
 * deliveries carried out) until the rollout completed. A sampler measures, every 50 ms, the
 * engine's threads (the API server's own threads left out), its open connections to the API
 * server (from {@code /proc/self/net/tcp}) and heap in use.
 */
public final class PushBenchmark {
  static final String APP = "web";
  public static final double GOAL_SECONDS_1000 = 60.0;
  private static final PersonIdent BENCH = new PersonIdent("Flotilla bench", "bench@flotilla.invalid");

  private final Path workDir;
  private final String kustomize;
  private final Duration latency;
  private final int deliveryThreads;
  private final PrintStream out;

  public PushBenchmark(Path workDir, String kustomize, Duration latency, int deliveryThreads, PrintStream out) {
    this.workDir = workDir;
    this.kustomize = kustomize;
    this.latency = latency;
    this.deliveryThreads = deliveryThreads;
    this.out = out;
  }

  /** Runs the benchmark for {@code sites} push sites; returns the numbers in the order they are printed. */
  public Map<String, Object> run(int sites) throws IOException, GitAPIException, SQLException, InterruptedException, StoreException,
      GitSyncException, RenderException, FleetValidationException, SchedulingException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sites", sites);
    r.put("latencyMs", latency.toMillis());
    r.put("deliveryThreads", deliveryThreads);
    r.put("cores", Runtime.getRuntime().availableProcessors());
    Path repo = workDir.resolve("fleet");
    Path kubeconfigs = workDir.resolve("kubeconfigs");
    try (SlowApiServer api = new SlowApiServer(latency, 64)) {
      writeFleet(repo, kubeconfigs, sites, api);
      PushAdapter.Settings settings = PushAdapter.Settings.defaults(kubeconfigs);
      r.put("maxOpenClients", settings.maxClients());
      r.put("eventLoopThreads", settings.eventLoopThreads());
      try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
          PushAdapter push = PushAdapter.start(settings, Clock.systemUTC())) {
        Commits.commitAll(git, "a fleet of " + sites + " push sites, no apps yet", BENCH);
        try (Engine engine = Engine.start(config(repo), push.delivery(), new CiStatuses.Recorded(CiStatus.PASSED))) {
          RolloutBenchmark.awaitStartupJobs(engine);
          writeApp(repo);
          String revision = Commits.commitAll(git, APP + " 1.0 to every site", BENCH);
          engine.syncNow();
          int threadsBefore = engineThreads();
          HeapPeak.reset();
          Sampler sampler = Sampler.start(api.port());
          long t0 = System.nanoTime();
          RolloutView done = drive(engine, revision);
          double seconds = (System.nanoTime() - t0) / 1e9;
          sampler.stop();
          r.put("state", done.state());
          r.put("sitesDone", done.waves().stream().mapToInt(RolloutView.WaveView::done).sum());
          r.put("sitesFailed", done.waves().stream().mapToInt(RolloutView.WaveView::failed).sum());
          r.put("seconds", round(seconds));
          r.put("sitesPerSecond", round(sites / seconds));
          r.put("goalSeconds", sites >= 1000 ? GOAL_SECONDS_1000 : null);
          r.put("deliveriesCarriedOut", engine.workers().delivered());
          r.put("failedDeliveryAttempts", engine.workers().failedAttempts());
          r.put("apiRequests", api.requests());
          r.put("requestsPerSite", round((double) api.requests() / sites));
          r.put("engineThreadsBefore", threadsBefore);
          r.put("engineThreadsPeak", sampler.peakThreads.get());
          r.put("openConnectionsPeak", sampler.peakConnections.get());
          r.put("openSiteClientsAfter", push.openClients());
          r.put("peakHeapMiB", HeapPeak.bytes() >> 20);
          r.put("liveHeapAfterRunMiB", HeapPeak.liveAfterGc() >> 20);
          r.put("maxHeapMiB", HeapPeak.maxHeap() >> 20);
        }
      }
    }
    return r;
  }

  private EngineConfig config(Path repo) {
    EngineConfig defaults = EngineConfig.defaults(repo.toString(), workDir.resolve("data"));
    // Hour-long job intervals: after their firing at start, the benchmark alone drives the engine.
    return new EngineConfig(defaults.repo(), null, GitAuth.NONE, defaults.dataDir(), null, null, null, "127.0.0.1", 0,
        Duration.ofHours(1), Duration.ofHours(1), false, kustomize, null, Clock.systemUTC(), deliveryThreads);
  }

  private RolloutView drive(Engine engine, String revision) throws StoreException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    int pass = 0;
    while (System.nanoTime() < deadline) {
      // What Engine.step does, timed part by part: reports in, one pass, its deliveries carried out.
      long t0 = System.nanoTime();
      engine.gather();
      long t1 = System.nanoTime();
      engine.rollouts().tick();
      long t2 = System.nanoTime();
      engine.workers().drain(Duration.ofMinutes(5));
      long t3 = System.nanoTime();
      pass++;
      out.printf("  step %d: gather %d ms, pass %d ms, deliveries %d ms%n", pass, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
          (t3 - t2) / 1_000_000);
      Optional<RolloutView> view = engine.operations().list().stream().filter(v -> v.revision().equals(revision)).findFirst();
      if (view.isPresent()) {
        RolloutView v = view.get();
        out.printf("  step %d: %s, %d done, %d updating, %d failed%n", pass, v.state(),
            v.waves().stream().mapToInt(RolloutView.WaveView::done).sum(),
            v.waves().stream().mapToInt(RolloutView.WaveView::updating).sum(),
            v.waves().stream().mapToInt(RolloutView.WaveView::failed).sum());
        if (!v.state().equals("RUNNING") && !v.state().equals("PENDING")) return v;
      }
    }
    throw new IllegalStateException("the release did not complete within 10 minutes");
  }

  private static void writeFleet(Path repo, Path kubeconfigs, int sites, SlowApiServer api) throws IOException {
    Files.createDirectories(repo.resolve("sites"));
    Files.createDirectories(repo.resolve("policies"));
    Files.createDirectories(kubeconfigs);
    Files.writeString(repo.resolve("fleet.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata: {name: bench}
        spec:
          tiers:
            - {name: datacenter, delivery: push}
        """);
    Files.writeString(repo.resolve("policies/all.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata: {name: all}
        spec:
          waves:
            - name: all
              selector: {}
              maxUnavailable: 100%
        """);
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= sites; i++) {
      String name = "dc-" + i;
      s.append("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata: {name: ").append(name).append("}\nspec:\n  tier: datacenter\n")
          .append("  timezone: UTC\n  cluster: {kubeconfig: ").append(name).append(".yaml, context: ").append(name).append("}\n---\n");
      Files.writeString(kubeconfigs.resolve(name + ".yaml"), """
          apiVersion: v1
          kind: Config
          clusters:
          - name: %1$s
            cluster: {server: "%2$s"}
          users:
          - name: flotilla
            user: {token: bench}
          contexts:
          - name: %1$s
            context: {cluster: %1$s, user: flotilla}
          current-context: %1$s
          """.formatted(name, api.url(name)));
    }
    Files.writeString(repo.resolve("sites/sites.yaml"), s.toString());
  }

  private static void writeApp(Path repo) throws IOException {
    Path app = repo.resolve("apps/" + APP);
    Files.createDirectories(app.resolve("base"));
    Files.createDirectories(app.resolve("overlays/datacenter"));
    Files.writeString(app.resolve("app.yaml"), "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n  policy: all\n");
    Files.writeString(app.resolve("base/kustomization.yaml"), "resources: [namespace.yaml, deploy.yaml]\n");
    Files.writeString(app.resolve("base/namespace.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n");
    Files.writeString(app.resolve("base/deploy.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: "registry.example.com/web:1.0"}]
        """);
    Files.writeString(app.resolve("overlays/datacenter/kustomization.yaml"), "resources: [../../base]\nnamespace: web\n");
  }

  /** The engine's threads: every live thread but the API server's and the sampler's. */
  static int engineThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (name.startsWith(SlowApiServer.THREAD_PREFIX) || name.startsWith("HTTP-Dispatcher") || name.equals(Sampler.NAME)) continue;
      n++;
    }
    return n;
  }

  /** Established TCP connections to {@code port} on loopback, seen from the client side. */
  static int connectionsTo(int port) {
    int n = 0;
    for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length < 4 || !f[3].equals("01")) continue; // 01: ESTABLISHED
          int colon = f[2].lastIndexOf(':');
          if (colon > 0 && Integer.parseInt(f[2].substring(colon + 1), 16) == port) n++;
        }
      } catch (IOException | NumberFormatException e) {
        // no such table (not Linux, no IPv6): nothing counted from it
      }
    }
    return n;
  }

  /** Samples threads, connections and heap every 50 ms on its own thread, keeping the peaks. */
  static final class Sampler {
    static final String NAME = "bench-sampler";
    final AtomicInteger peakThreads = new AtomicInteger();
    final AtomicInteger peakConnections = new AtomicInteger();
    final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private Sampler(int port) {
      thread = new Thread(() -> {
        while (running) {
          peakThreads.accumulateAndGet(engineThreads(), Math::max);
          peakConnections.accumulateAndGet(connectionsTo(port), Math::max);
          samples.incrementAndGet();
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, NAME);
      thread.setDaemon(true);
    }

    static Sampler start(int port) {
      Sampler s = new Sampler(port);
      s.thread.start();
      return s;
    }

    void stop() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join();
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
