package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.bench.RenderBenchmark;
import dev.flotilla.bench.RolloutBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "The project's benchmarks.", subcommands = {BenchCommand.Render.class, BenchCommand.Rollout.class})
final class BenchCommand {

  /** Options every benchmark has: where it works, which kustomize, where the JSON numbers go. */
  static final class Shared {
    @Option(names = "--kustomize", paramLabel = "PATH")
    String kustomize;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where to generate (default: a new temp folder).")
    Path workDir;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the numbers as JSON.")
    Path report;

    Path workDir() throws java.io.IOException {
      return workDir != null ? workDir : Files.createTempDirectory("flotilla-bench-");
    }

    void writeReport(Map<String, Object> numbers) throws java.io.IOException {
      if (report != null) new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), numbers);
    }
  }

  @Command(name = "render", description =
    "Generates a fleet of N sites (4 tiers, 2 apps), renders every site's desired state cold, compares " +
    "with one kustomize build per site and app (sampled, scaled), then re-renders after a commit to one " +
    "overlay. Run with FLOTILLA_JAVA_OPTS=-Xmx1g to prove the heap goal.")
  static final class Render implements Callable<Integer> {
    @Option(names = "--sites", paramLabel = "N", description = "Fleet size (default: 10000).")
    int sites = 10_000;

    @Option(names = "--sample", paramLabel = "N", description = "Baseline builds to time (default: 20).")
    int sample = 20;

    @Option(names = "--parallelism", paramLabel = "N")
    int parallelism = Runtime.getRuntime().availableProcessors();

    @Mixin Shared shared;

    @Override
    public Integer call() throws Exception {
      Path dir = shared.workDir();
      System.out.printf("bench render: %d sites in %s%n", sites, dir);
      Map<String, Object> numbers = new RenderBenchmark(dir, shared.kustomize, parallelism, sample, System.out).run(sites);
      System.out.printf("  %-26s %s%n", "baselineSecondsPerBuild", numbers.get("baselineSecondsPerBuild"));
      System.out.printf("  %-26s %s%n", "baselineEstimatedSeconds", numbers.get("baselineEstimatedSeconds"));
      System.out.printf("  %-26s %sx%n", "speedupVsBaseline", numbers.get("speedupVsBaseline"));
      System.out.printf("  %-26s %s%n", "changedOverlay", numbers.get("changedOverlay"));
      System.out.printf("  %-26s %s%n", "rerenderSeconds", numbers.get("rerenderSeconds"));
      System.out.printf("  %-26s %s%n", "rerenderKustomizeCalls", numbers.get("rerenderKustomizeCalls"));
      System.out.printf("  %-26s %s of %s%n", "rerenderStamped", numbers.get("rerenderStamped"), numbers.get("rerenderDesiredStates"));
      shared.writeReport(numbers);
      return ExitCodes.OK;
    }
  }

  @Command(name = "rollout", description =
    "Rolls one release of the telemetry app out to every site of a generated fleet of N sites (5 waves, " +
    "no soak) with the real engine on embedded H2 and simulated sites, one scheduling pass per simulated " +
    "second; prints the engine's CPU time per site update, the pass times and the peak heap against the " +
    "goals. Run with FLOTILLA_JAVA_OPTS=-Xmx512m to prove the heap goal.")
  static final class Rollout implements Callable<Integer> {
    @Option(names = "--sites", paramLabel = "N", description = "Fleet size (default: 10000).")
    int sites = 10_000;

    @Option(names = "--max-passes", paramLabel = "N", description = "Give up after this many passes (default: 1000).")
    int maxPasses = 1000;

    @Mixin Shared shared;

    @Override
    public Integer call() throws Exception {
      Path dir = shared.workDir();
      System.out.printf("bench rollout: %d sites in %s%n", sites, dir);
      Map<String, Object> n = new RolloutBenchmark(dir, shared.kustomize, maxPasses, System.out).run(sites);
      System.out.printf("  %s@1 to %s of %s sites in %s passes (%s waves): %s site updates, %s duplicate deliveries, %s applies%n",
          n.get("app"), n.get("sitesDone"), n.get("sitesInRollout"), n.get("passes"), n.get("waves"), n.get("siteUpdates"),
          n.get("duplicateDeliveries"), n.get("applies"));
      System.out.printf("  first pass (starts the rollout, no rendering): %s ms wall, %s ms CPU%n", n.get("firstPassMs"),
          n.get("firstPassCpuMs"));
      System.out.printf("  passes after the first: wall median %s ms, max %s ms; CPU median %s ms, max %s ms%n", n.get("medianPassMs"),
          n.get("maxPassMs"), n.get("medianPassCpuMs"), n.get("maxPassCpuMs"));
      System.out.printf("  engine CPU in passes: %s s = %s ms per site update = %sx of the %s ms goal%n", n.get("engineCpuSeconds"),
          n.get("cpuMsPerSiteUpdate"), n.get("cpuRatio"), RolloutBenchmark.GOAL_CPU_MS_PER_SITE_UPDATE);
      System.out.printf("  slowest pass: %s ms = %sx of the %s ms goal%n", n.get("worstPassMs"), n.get("passRatio"),
          RolloutBenchmark.GOAL_PASS_MS);
      System.out.printf("  heap in use at pass ends: at most %s MiB = %sx of the %s MiB goal (max heap %s MiB); sum of pool peaks"
          + " during the passes %s MiB (an upper bound, young garbage included); live after the rollout %s MiB%n",
          n.get("maxHeapUsedAtPassEndMiB"), n.get("heapRatio"), RolloutBenchmark.GOAL_HEAP_MIB, n.get("maxHeapMiB"),
          n.get("peakHeapMiB"), n.get("liveHeapAfterRolloutMiB"));
      shared.writeReport(n);
      return ExitCodes.OK;
    }
  }
}
