package dev.flotilla.cli;

import dev.flotilla.engine.EngineException;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.demo.DemoOutcome;
import dev.flotilla.demo.DemoOutput;
import dev.flotilla.demo.DemoRun;
import dev.flotilla.demo.DemoScenario;
import dev.flotilla.demo.DemoSettings;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.RenderException;
import dev.flotilla.scaffold.Templates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eclipse.jgit.api.errors.GitAPIException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description =
    "The example fleet on simulated sites, with the engine on embedded H2 and a temporary Git repository:" +
    " commits a release of pos (image 4.12.0 -> 4.13.0) and shows its rollout wave by wave on an " +
    "accelerated demo clock. Exit 0 when the scenario ends as it should, 1 otherwise.")
final class DemoCommand implements Callable<Integer> {
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  @Mixin RenderOptions render;

  @Option(names = "--scenario", paramLabel = "NAME", description = "default (a good release) or bad-release (fails at the canary wave, halts, rolls back).")
  String scenario = DemoScenario.DEFAULT.word();

  @Option(names = "--sites", paramLabel = "N", description = "Scale the fleet to N sites with generated stores and edge gateways (default: the example's 90).")
  int sites;

  @Option(names = "--headless", description = "Run to the end without live progress; print one summary line per rollout.")
  boolean headless;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the run as JSON: rollouts with their waves, and every site update.")
  Path report;

  @Option(names = "--example", paramLabel = "DIR", description = "The example fleet (default: fleet-repo-example/ of this checkout).")
  Path example;

  @Option(names = "--push-mock", description = "Run the push sites (data centers and micro data centers) on in-process fabric8 mock API"
      + " servers, applied to by the real push adapter (server-side apply, inventory, health of the applied objects);"
      + " pull sites stay simulated.")
  boolean pushMock;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where to make the demo repository and data (default: a new temp folder).")
  Path workDir;

  @Override
  public Integer call() throws IOException, GitAPIException, InterruptedException, StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException, EngineException {
    // Engine logs would scroll the live boards away; warnings still show. -D...defaultLogLevel wins.
    if (System.getProperty(LOG_LEVEL) == null) System.setProperty(LOG_LEVEL, "warn");
    DemoScenario chosen;
    try {
      chosen = DemoScenario.parse(scenario);
      if (sites < 0) throw new IllegalArgumentException("--sites must be positive, got " + sites);
    } catch (IllegalArgumentException e) {
      System.err.println("flotilla demo: " + e.getMessage());
      return ExitCodes.INVALID;
    }
    Path dir = workDir != null ? workDir : Files.createTempDirectory("flotilla-demo-");
    DemoSettings settings = DemoSettings.headless(chosen, sites, example != null ? example : locateExample(), dir)
        .withKustomize(render.kustomize).withPushMock(pushMock);
    DemoOutput output = DemoOutput.SILENT;
    if (!headless) {
      settings = settings.withPause(DemoSettings.PAUSE);
      output = new DemoConsole(System.out, System.console() != null);
    }
    long started = System.nanoTime();
    DemoOutcome outcome = DemoRun.run(settings, output);
    if (report != null) outcome.report().write(report);
    summarize(outcome, (System.nanoTime() - started) / 1_000_000);
    return outcome.asExpected() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private void summarize(DemoOutcome outcome, long millis) {
    System.out.println();
    for (RolloutView r : outcome.rollouts()) {
      int done = r.waves().stream().mapToInt(RolloutView.WaveView::done).sum();
      int total = r.waves().stream().mapToInt(RolloutView.WaveView::total).sum();
      System.out.printf("%-28s %-8s %s@%s  %-9s  %d waves, %d/%d sites done%n", r.id(), r.kind().toLowerCase(), r.app(),
          ProgressBoard.shortId(r.revision()), r.state(), r.waves().size(), done, total);
    }
    System.out.printf("demo %s (%d sites): %s; simulated %s to %s in %d rounds, %.1f s%n", outcome.report().scenario(),
        outcome.report().sites(), outcome.verdict(), outcome.simulatedFrom(), outcome.simulatedTo(), outcome.rounds(), millis / 1000.0);
    for (var p : outcome.report().pushSites()) {
      System.out.printf("push site %-14s %s: %d server-side applies; revisions %s%n", p.site(), p.server(), p.applies(),
          p.revisions().entrySet().stream().map(e -> e.getKey() + "@" + String.join(",", e.getValue().stream().map(ProgressBoard::shortId)
              .toList())).toList());
    }
    if (report != null) System.out.println("report: " + report);
  }

  private static Path locateExample() {
    Path here = Path.of("fleet-repo-example").toAbsolutePath();
    if (Files.isRegularFile(here.resolve("fleet.yaml"))) return here;
    return Templates.installFolder().map(f -> f.resolve("fleet-repo-example"))
        .filter(p -> Files.isRegularFile(p.resolve("fleet.yaml")))
        .orElseThrow(() -> new IllegalStateException("cannot find fleet-repo-example/: run from the Flotilla checkout or pass --example DIR"));
  }
}
