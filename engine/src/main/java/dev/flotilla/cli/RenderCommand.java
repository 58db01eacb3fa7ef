package dev.flotilla.cli;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.git.Snapshot;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "render", description = "Prints (or writes) one site's desired manifests, as the engine would apply them.")
final class RenderCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;
  @Mixin RenderOptions render;

  @Option(names = "--site", required = true, paramLabel = "SITE", description = "The site to render.")
  String site;

  @Option(names = "--app", paramLabel = "APP", description = "Only this app (default: every app that targets the site).")
  String app;

  @Option(names = "--rev", paramLabel = "REV", description = "Revision (default: the folder as it is, or the default branch of a URL).")
  String rev;

  @Option(names = "--out", paramLabel = "DIR", description = "Write <DIR>/<app>.yaml per app instead of printing.")
  Path out;

  @Override
  public Integer call() throws GitSyncException, FleetValidationException, RenderException, IOException {
    try (FleetRepoSource source = repo.open()) {
      Snapshot snapshot = source.snapshot(rev);
      FleetModel model = FleetLoader.load(snapshot.root());
      if (model.site(site).isEmpty()) {
        System.err.printf("flotilla: no site named '%s' in %s (see: flotilla sites --repo %s)%n", site, source.location(), repo.repo);
        return ExitCodes.INVALID;
      }
      if (app != null && model.app(app).isEmpty()) {
        System.err.printf("flotilla: no app named '%s' (apps: %s)%n", app, model.apps().stream().map(a -> a.name()).toList());
        return ExitCodes.INVALID;
      }
      Set<String> apps = app == null ? model.apps().stream().map(a -> a.name()).collect(java.util.stream.Collectors.toSet()) : Set.of(app);
      RenderResult result;
      try (FleetRenderer renderer = render.renderer(repo.workspace().cacheDir())) {
        result = renderer.render(model, snapshot.root(), source.revisionStamp(snapshot), apps, Set.of(site));
      }
      List<DesiredState> states = new ArrayList<>();
      result.states().forEach((a, bySite) -> {
        DesiredState s = bySite.get(site);
        if (s != null) states.add(s);
      });
      if (states.isEmpty()) {
        System.err.printf("flotilla: no app%s targets site %s%n", app == null ? "" : " named " + app, site);
        return app == null ? ExitCodes.OK : ExitCodes.INVALID;
      }
      if (out != null) {
        Files.createDirectories(out);
        for (DesiredState s : states) {
          Path file = out.resolve(s.app() + ".yaml");
          List<Manifest> manifests = s.manifests(); // stamped on each call: once here
          Files.writeString(file, DesiredState.yaml(manifests));
          System.err.printf("wrote %s (%d objects)%n", file, manifests.size());
        }
      } else {
        StringBuilder all = new StringBuilder();
        for (DesiredState s : states) {
          if (all.length() > 0) all.append("---\n");
          all.append(s.yaml());
        }
        System.out.print(all);
      }
      return ExitCodes.OK;
    }
  }
}
