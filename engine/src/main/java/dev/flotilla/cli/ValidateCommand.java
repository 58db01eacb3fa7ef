package dev.flotilla.cli;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Problem;
import dev.flotilla.fleet.Site;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.git.Snapshot;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderResult;
import dev.flotilla.render.RenderCheck;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", description =
    "Checks the whole fleet repo at once and prints every problem as file:line: field: message. Exit code" +
    " 0 when valid, 2 when not.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;
  @Mixin RenderOptions render;

  @Option(names = "--rev", paramLabel = "REV", description = "Revision to check (default: the folder as it is, or the default branch of a URL).")
  String rev;

  @Option(names = "--render", description = "Also render every site's desired state with kustomize.")
  boolean alsoRender;

  @Override
  public Integer call() throws GitSyncException, RenderException {
    try (FleetRepoSource source = repo.open()) {
      Snapshot snapshot = source.snapshot(rev);
      FleetModel model;
      try {
        model = FleetLoader.load(snapshot.root());
      } catch (FleetValidationException e) {
        e.problems().stream().map(Problem::toString).map(SafeText::of).forEach(System.out::println);
        System.err.printf("invalid: %d problem(s) in %s at %s%n", e.problems().size(), source.location(), snapshot.revision());
        return ExitCodes.INVALID;
      }
      String rendered = "";
      if (alsoRender) {
        RenderCheck check;
        try (FleetRenderer renderer = render.renderer(repo.workspace().cacheDir())) {
          check = renderer.check(model, snapshot.root(), source.revisionStamp(snapshot));
        }
        if (!check.valid()) return reportRenderProblems(check, source, snapshot);
        rendered = ", " + check.rendered() + " desired states rendered";
      }
      Map<String, Long> byTier = model.sites().stream()
          .collect(Collectors.groupingBy(Site::tier, TreeMap::new, Collectors.counting()));
      System.out.printf("valid: fleet %s at %s: %d sites %s, %d apps, %d policies%s%n", model.fleet().name(),
          source.revisionStamp(snapshot), model.sites().size(), byTier, model.apps().size(), model.policies().size(), rendered);
      return ExitCodes.OK;
    }
  }

  /** Exit 2 when the fleet repo is at fault, 1 when only the tools failed. */
  private static int reportRenderProblems(RenderCheck check, FleetRepoSource source, Snapshot snapshot) {
    check.problems().stream().map(Problem::toString).map(SafeText::lines).forEach(System.out::println);
    check.toolFailures().forEach(e -> System.err.println("flotilla: " + SafeText.lines(e.getMessage())));
    if (!check.problems().isEmpty()) {
      System.err.printf("invalid: %d render problem(s) in %s at %s%n", check.problems().size(), source.location(),
          snapshot.revision());
      return ExitCodes.INVALID;
    }
    return ExitCodes.FAILED;
  }
}
