package dev.flotilla.bench;

import dev.flotilla.fleet.App;
import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.engine.PlanInputs;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Site;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitAuth;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.git.Snapshot;
import dev.flotilla.plan.DesiredObjects;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.PlanFormat;
import dev.flotilla.plan.Planner;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.KustomizeBinary;
import dev.flotilla.render.KustomizeCliRenderer;
import dev.flotilla.render.ProcessRunner;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderCache;
import dev.flotilla.render.RenderResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.flotilla.git.Commits;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code flotilla bench render}: renders every site of a generated fleet cold, compares with the
 * naive baseline of one {@code kustomize build} per site and app (measured on a sample, scaled),
 * then commits a change to one tier overlay and renders again to count the kustomize calls.
 */
public final class RenderBenchmark {
  private static final PersonIdent BENCH = new PersonIdent("Flotilla bench", "bench@flotilla.invalid");

  private final Path workDir;
  private final String kustomize;
  private final int parallelism;
  private final int sample;
  private final PrintStream out;

  public RenderBenchmark(Path workDir, String kustomize, int parallelism, int sample, PrintStream out) {
    this.workDir = workDir;
    this.kustomize = kustomize;
    this.parallelism = parallelism;
    this.sample = sample;
    this.out = out;
  }

  /** Runs the benchmark; returns the numbers, in the order they are printed. */
  public Map<String, Object> run(int sites)
      throws IOException, GitAPIException, GitSyncException, FleetValidationException, RenderException {
    Map<String, Object> r = new LinkedHashMap<>();
    Path repo = workDir.resolve("fleet");
    Path cache = workDir.resolve("cache");
    FleetGenerator.write(repo, sites);
    String first;
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      first = Commits.commitAll(git, "generated fleet of " + sites + " sites", BENCH);
    }
    r.put("sites", sites);
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("maxHeapMiB", HeapPeak.maxHeap() >> 20);

    ProcessRunner runner = new ProcessRunner();
    KustomizeBinary binary = KustomizeBinary.locate(kustomize, runner);
    r.put("kustomize", binary.toString());
    try (FleetRepoSource source = FleetRepoSource.open(repo.toString(), cache, GitAuth.NONE)) {
      HeapPeak.reset();
      long t0 = System.nanoTime();
      Snapshot snap = source.snapshot(first);
      FleetModel model = FleetLoader.load(snap.root());
      long loaded = System.nanoTime();
      KustomizeCliRenderer cli = new KustomizeCliRenderer(binary, runner);
      // One renderer for both renders, as the engine keeps one while it follows the repo.
      try (FleetRenderer renderer = new FleetRenderer(cli, RenderCache.onDisk(cache), parallelism)) {
        RenderResult cold = renderer.render(model, snap.root(), snap.revision());
        long rendered = System.nanoTime();
        r.put("loadSeconds", seconds(loaded - t0));
        r.put("renderSeconds", seconds(rendered - loaded));
        r.put("desiredStates", cold.size());
        r.put("overlays", cold.stats().overlays());
        r.put("kustomizeCalls", cold.stats().kustomizeCalls());
        r.put("peakHeapMiB", HeapPeak.bytes() >> 20);
        print(r);

        double perBuild = baselinePerBuild(model, snap.root(), binary, runner);
        double baseline = perBuild * cold.size();
        r.put("baselineSecondsPerBuild", round(perBuild));
        r.put("baselineEstimatedSeconds", round(baseline));
        r.put("speedupVsBaseline", round(baseline / ((rendered - loaded) / 1e9)));

        String overlay = FleetGenerator.touchOverlay(repo, "telemetry", "pop", "1.0.1");
        String second;
        try (Git git = Git.open(repo.toFile())) {
          second = Commits.commitAll(git, "telemetry: pop image 1.0.1", BENCH);
        }
        Snapshot next = source.snapshot(second);
        FleetModel nextModel = FleetLoader.load(next.root());
        long t1 = System.nanoTime();
        RenderResult warm = renderer.render(nextModel, next.root(), next.revision());
        r.put("changedOverlay", overlay);
        r.put("rerenderSeconds", seconds(System.nanoTime() - t1));
        r.put("rerenderKustomizeCalls", warm.stats().kustomizeCalls());
        r.put("rerenderCacheHits", warm.stats().cacheHits());
        r.put("rerenderStamped", warm.stats().stamped());
        r.put("rerenderDesiredStates", warm.size());
        planAndFormat(r, model, PlanInputs.from(cold, snap.revision()), nextModel, PlanInputs.from(warm, next.revision()));
      }
    }
    return r;
  }

  /**
   * The plan of the overlay commit (what {@code flotilla plan} and the pull request comment show for
   * it): how long planning and each format take, and how long each output is.
   */
  private static void planAndFormat(Map<String, Object> r, FleetModel fromModel, DesiredObjects from, FleetModel toModel, DesiredObjects to) {
    long t = System.nanoTime();
    Plan plan = Planner.plan(fromModel, from, toModel, to, java.time.Instant.now());
    r.put("planSeconds", seconds(System.nanoTime() - t));
    r.put("planChangingSites", plan.apps().stream().mapToInt(a -> a.sites().size()).sum());
    for (PlanFormat format : PlanFormat.values()) {
      String name = format.name().charAt(0) + format.name().substring(1).toLowerCase(java.util.Locale.ROOT);
      long f = System.nanoTime();
      String written = format.write(plan);
      r.put("plan" + name + "Seconds", seconds(System.nanoTime() - f));
      r.put("plan" + name + "Chars", written.length());
    }
  }

  /** The naive way: one kustomize build per site and app, measured sequentially on a sample. */
  private double baselinePerBuild(FleetModel model, Path root, KustomizeBinary binary, ProcessRunner runner)
      throws RenderException {
    List<String[]> pairs = new ArrayList<>();
    for (App app : model.apps()) {
      for (Site site : model.targets(app)) {
        String rel = model.hasSiteOverlay(app.name(), site.name())
            ? app.dir() + "/sites/" + site.name() : app.dir() + "/overlays/" + site.tier();
        pairs.add(new String[] {app.name(), rel});
      }
    }
    int step = Math.max(1, pairs.size() / sample);
    KustomizeCliRenderer cli = new KustomizeCliRenderer(binary, runner, Duration.ofSeconds(60));
    long total = 0;
    int n = 0;
    for (int i = 0; i < pairs.size() && n < sample; i += step, n++) {
      long t = System.nanoTime();
      cli.build(root.resolve(pairs.get(i)[1]), pairs.get(i)[0], pairs.get(i)[1]);
      total += System.nanoTime() - t;
    }
    return total / 1e9 / n;
  }

  private void print(Map<String, Object> r) {
    r.forEach((k, v) -> out.printf("  %-26s %s%n", k, v));
  }


  private static double seconds(long nanos) {
    return round(nanos / 1e9);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
