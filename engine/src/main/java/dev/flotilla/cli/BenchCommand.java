package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.bench.RenderBenchmark;
import dev.flotilla.bench.RolloutBenchmark;
import dev.flotilla.engine.EngineException;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.RenderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.jgit.api.errors.GitAPIException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "The project's benchmarks.", subcommands = {BenchCommand.Render.class, BenchCommand.Rollout.class, BenchCommand.Push.class, BenchCommand.Webhooks.class,
    BundleBenchCommand.class})
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
      "overlay, and plans that commit in each format. Run with FLOTILLA_JAVA_OPTS=-Xmx1g to prove the heap goal.")
  static final class Render implements Callable<Integer> {
    @Option(names = "--sites", paramLabel = "N", description = "Fleet size (default: 10000).")
    int sites = 10_000;

    @Option(names = "--sample", paramLabel = "N", description = "Baseline builds to time (default: 20).")
    int sample = 20;

    @Option(names = "--parallelism", paramLabel = "N")
    int parallelism = Runtime.getRuntime().availableProcessors();

    @Mixin Shared shared;

    @Override
    public Integer call() throws IOException, GitAPIException, GitSyncException, FleetValidationException, RenderException {
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
      System.out.printf("  %-26s %s s, %s sites change%n", "plan of that commit", numbers.get("planSeconds"), numbers.get("planChangingSites"));
      for (String format : new String[] {"Text", "Markdown", "Json"}) {
        System.out.printf("  %-26s %s s, %s characters%n", "  written as " + format.toLowerCase(java.util.Locale.ROOT),
            numbers.get("plan" + format + "Seconds"), numbers.get("plan" + format + "Chars"));
      }
      shared.writeReport(numbers);
      return ExitCodes.OK;
    }
  }

  @Command(name = "rollout", description =
      "Rolls K releases of the telemetry app in a row (each next one committed while the one before" +
      " is at its third wave) out to every site of a generated fleet of N sites (5 waves, no soak) with the" +
      " real engine on embedded H2, its outbox and delivery workers, and simulated sites; one scheduling " +
      "pass per simulated second. Prints per pass CPU, wall, rows and bytes written and heap, and the " +
      "totals against the goals. Run with FLOTILLA_JAVA_OPTS=-Xmx1g to prove the heap goal.")
  static final class Rollout implements Callable<Integer> {
    @Option(names = "--sites", paramLabel = "N", description = "Fleet size (default: 10000).")
    int sites = 10_000;

    @Option(names = "--releases", paramLabel = "K", description = "Releases in a row (default: 3).")
    int releases = 3;

    @Option(names = "--delivery-delay-ms", paramLabel = "MS", description = "Every delivery takes this long, as a remote apply does (default: 0).")
    long deliveryDelayMs = 0;

    @Option(names = "--delivery-threads", paramLabel = "N", description = "Delivery workers (default: 8).")
    int deliveryThreads = 8;

    @Option(names = "--max-passes", paramLabel = "N", description = "Give up after this many passes (default: 3000).")
    int maxPasses = 3000;

    @Mixin Shared shared;

    @Override
    public Integer call() throws IOException, GitAPIException, SQLException, InterruptedException, StoreException,
        GitSyncException, RenderException, FleetValidationException, SchedulingException, EngineException {
      Path dir = shared.workDir();
      System.out.printf("bench rollout: %d sites, %d releases, %d ms per delivery, %d delivery threads, in %s%n", sites, releases,
          deliveryDelayMs, deliveryThreads, dir);
      Map<String, Object> n = new RolloutBenchmark(dir, shared.kustomize, maxPasses, java.time.Duration.ofMillis(deliveryDelayMs),
          deliveryThreads, System.out).run(sites, releases);
      for (Map.Entry<String, Object> e : n.entrySet()) {
        if (!e.getKey().equals("perPass")) System.out.printf("  %-26s %s%n", e.getKey(), e.getValue());
      }
      System.out.printf("  per pass [pass, wall ms, CPU ms, rows, bytes, site rows, deliveries decided, heap MiB]: see --report%n");
      shared.writeReport(n);
      return ExitCodes.OK;
    }
  }

  @Command(name = "push", description =
      "Applies one release of one app (a Namespace and a Deployment) to N push sites with the real engine on " +
      "embedded H2, its outbox, bounded delivery workers and the push adapter, against one API server on " +
      "loopback that answers every site under its own path prefix after a fixed latency. Prints sites per " +
      "second and the engine's peak threads, open connections and heap.")
  static final class Push implements Callable<Integer> {
    @Option(names = "--sites", paramLabel = "N", description = "Push sites (default: 1000).")
    int sites = 1_000;

    @Option(names = "--latency-ms", paramLabel = "MS", description = "The API server answers each request after MS (default: 20).")
    long latencyMs = 20;

    @Option(names = "--delivery-threads", paramLabel = "N", description = "Delivery workers (default: 8).")
    int deliveryThreads = 8;

    @Mixin Shared shared;

    @Override
    public Integer call() throws IOException, GitAPIException, SQLException, InterruptedException, StoreException,
        GitSyncException, RenderException, FleetValidationException, SchedulingException {
      Path dir = shared.workDir();
      System.out.printf("bench push: %d push sites, %d ms per API request, %d delivery threads, in %s%n", sites, latencyMs,
          deliveryThreads, dir);
      Map<String, Object> n = new dev.flotilla.bench.PushBenchmark(dir, shared.kustomize, java.time.Duration.ofMillis(latencyMs),
          deliveryThreads, System.out).run(sites);
      for (Map.Entry<String, Object> e : n.entrySet()) System.out.printf("  %-26s %s%n", e.getKey(), e.getValue());
      shared.writeReport(n);
      return ExitCodes.OK;
    }
  }

  @Command(name = "webhooks", description = {
      "A generated fleet behind GitHub webhooks: the time from a pull request delivery to its flotilla/plan status,",
      "and a burst of signed deliveries in one second, each sent twice (answer latency, none lost, none acted on twice)."})
  static final class Webhooks implements Callable<Integer> {
    @Option(names = "--sites", paramLabel = "N", description = "Fleet size (default: 1000).")
    int sites = 1_000;

    @Option(names = "--rounds", paramLabel = "N", description = "Pull request pushes to plan (default: 6; the first is cold).")
    int rounds = 6;

    @Option(names = "--burst", paramLabel = "N", description = "Deliveries sent within one second (default: 200).")
    int burst = 200;

    @Mixin Shared shared;

    @Override
    public Integer call() throws Exception {
      Path dir = shared.workDir();
      System.out.printf("bench webhooks: %d sites, %d pull request pushes, a burst of %d deliveries, in %s%n", sites, rounds, burst, dir);
      Map<String, Object> n = new dev.flotilla.bench.WebhookBenchmark(dir, shared.kustomize, System.out).run(sites, rounds, burst);
      for (Map.Entry<String, Object> e : n.entrySet()) System.out.printf("  %-26s %s%n", e.getKey(), e.getValue());
      shared.writeReport(n);
      return ExitCodes.OK;
    }
  }
}
