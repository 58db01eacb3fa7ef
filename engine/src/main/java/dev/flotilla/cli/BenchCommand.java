package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.bench.RenderBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "The project's benchmarks.", subcommands = BenchCommand.Render.class)
final class BenchCommand {

  @Command(name = "render", description = {
      "Generates a fleet of N sites (4 tiers, 2 apps), renders every site's desired state cold, compares with",
      "one kustomize build per site and app (sampled, scaled), then re-renders after a commit to one overlay.",
      "Run with FLOTILLA_JAVA_OPTS=-Xmx1g to prove the heap goal."})
  static final class Render implements Callable<Integer> {
    @Option(names = "--sites", paramLabel = "N", description = "Fleet size (default: 10000).")
    int sites = 10_000;

    @Option(names = "--sample", paramLabel = "N", description = "Baseline builds to time (default: 20).")
    int sample = 20;

    @Option(names = "--kustomize", paramLabel = "PATH")
    String kustomize;

    @Option(names = "--parallelism", paramLabel = "N")
    int parallelism = Runtime.getRuntime().availableProcessors();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where to generate (default: a new temp folder).")
    Path workDir;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the numbers as JSON.")
    Path report;

    @Override
    public Integer call() throws Exception {
      Path dir = workDir != null ? workDir : Files.createTempDirectory("flotilla-bench-");
      System.out.printf("bench render: %d sites in %s%n", sites, dir);
      Map<String, Object> numbers = new RenderBenchmark(dir, kustomize, parallelism, sample, System.out).run(sites);
      System.out.printf("  %-26s %s%n", "baselineSecondsPerBuild", numbers.get("baselineSecondsPerBuild"));
      System.out.printf("  %-26s %s%n", "baselineEstimatedSeconds", numbers.get("baselineEstimatedSeconds"));
      System.out.printf("  %-26s %sx%n", "speedupVsBaseline", numbers.get("speedupVsBaseline"));
      System.out.printf("  %-26s %s%n", "changedOverlay", numbers.get("changedOverlay"));
      System.out.printf("  %-26s %s%n", "rerenderSeconds", numbers.get("rerenderSeconds"));
      System.out.printf("  %-26s %s%n", "rerenderKustomizeCalls", numbers.get("rerenderKustomizeCalls"));
      if (report != null) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), numbers);
      }
      return ExitCodes.OK;
    }
  }
}
