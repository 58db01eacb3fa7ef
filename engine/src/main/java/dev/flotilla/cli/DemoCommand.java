package dev.flotilla.cli;

import dev.flotilla.engine.PlanInputs;
import dev.flotilla.app.Workspace;
import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitAuth;
import dev.flotilla.git.Snapshot;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.PlanFormat;
import dev.flotilla.plan.Planner;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderResult;
import dev.flotilla.scaffold.Templates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {
    "Copies fleet-repo-example/ into a temporary Git repository, commits a release of the pos app",
    "(image 4.12.0 -> 4.13.0), then validates, plans and renders it with the real kustomize."})
final class DemoCommand implements Callable<Integer> {
  private static final PersonIdent DEMO = new PersonIdent("Flotilla demo", "demo@flotilla.invalid");
  private static final String OLD_IMAGE = "pos-server:4.12.0";
  private static final String NEW_IMAGE = "pos-server:4.13.0";

  @Mixin RenderOptions render;

  @Option(names = "--example", paramLabel = "DIR", description = "The example fleet (default: fleet-repo-example/ of this checkout).")
  Path example;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where to make the demo repository (default: a new temp folder).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    Path source = example != null ? example : locateExample();
    Path dir = workDir != null ? workDir : Files.createTempDirectory("flotilla-demo-");
    Path repo = dir.resolve("fleet");
    copy(source, repo);
    String before;
    String after;
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      before = commit(git, "Fleet as it runs today");
      for (String file : List.of("apps/pos/base/statefulset.yaml", "apps/pos/base/backup-cronjob.yaml")) {
        Path p = repo.resolve(file);
        Files.writeString(p, Files.readString(p).replace(OLD_IMAGE, NEW_IMAGE));
      }
      after = commit(git, "pos: release 4.13.0");
    }
    step("1. The fleet repo: " + repo + " (two commits: " + before.substring(0, 12) + " → " + after.substring(0, 12) + ")");
    Workspace workspace = new Workspace(dir.resolve("data"));
    try (FleetRepoSource fleetRepo = FleetRepoSource.open(repo.toString(), workspace.cacheDir(), GitAuth.NONE);
        FleetRenderer renderer = render.renderer(workspace.cacheDir())) {
      Snapshot from = fleetRepo.snapshot(before);
      Snapshot to = fleetRepo.snapshot(after);
      FleetModel fromModel = FleetLoader.load(from.root());
      FleetModel toModel = FleetLoader.load(to.root());
      step("2. Validate: fleet " + toModel.fleet().name() + " is valid: " + toModel.sites().size() + " sites, "
          + toModel.apps().size() + " apps, " + toModel.policies().size() + " policies");
      RenderResult fromStates = renderer.render(fromModel, from.root(), from.revision());
      RenderResult toStates = renderer.render(toModel, to.root(), to.revision());
      step("3. Render: " + toStates.size() + " desired states per revision; kustomize ran "
          + (fromStates.stats().kustomizeCalls() + toStates.stats().kustomizeCalls()) + " times for "
          + toStates.stats().overlays() + " overlays (the second revision reused every unchanged overlay)");
      Plan plan = Planner.plan(fromModel, PlanInputs.from(fromStates, from.revision()), toModel, PlanInputs.from(toStates, to.revision()));
      step("4. Plan of the release (what a pull request comment shows):");
      String text = PlanFormat.TEXT.write(plan);
      System.out.print(text.lines().limit(40).reduce("", (a, l) -> a + l + "\n"));
      if (text.lines().count() > 40) System.out.println("  ... (" + (text.lines().count() - 40) + " more lines)");
      step("5. The flagship store's desired state, with its own site overlay:");
      String yaml = toStates.state("pos", "store-paris-01").orElseThrow().yaml();
      System.out.print(yaml.lines().limit(30).reduce("", (a, l) -> a + l + "\n"));
      step("Try it yourself:\n  ./flotilla plan --repo " + repo + " --from HEAD~1 --to HEAD --format markdown\n"
          + "  ./flotilla render --repo " + repo + " --rev HEAD --site store-paris-01 --app pos");
    }
    return ExitCodes.OK;
  }

  private static Path locateExample() {
    Path here = Path.of("fleet-repo-example");
    if (Files.isRegularFile(here.resolve("fleet.yaml"))) return here;
    return Templates.installFolder().map(f -> f.resolve("fleet-repo-example"))
        .filter(p -> Files.isRegularFile(p.resolve("fleet.yaml")))
        .orElseThrow(() -> new IllegalStateException("cannot find fleet-repo-example/: run from the Flotilla checkout or pass --example DIR"));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static String commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(DEMO).setCommitter(DEMO).setSign(false).call().getName();
  }

  private static void step(String s) {
    System.out.println();
    System.out.println("== " + s);
  }
}
