package dev.flotilla.cli;

import dev.flotilla.delivery.push.ApplyException;
import dev.flotilla.delivery.push.ApplyPreview;
import dev.flotilla.delivery.push.ApplySettings;
import dev.flotilla.delivery.push.KubeconfigClients;
import dev.flotilla.delivery.push.KubernetesApplier;
import dev.flotilla.delivery.push.ManifestException;
import dev.flotilla.delivery.push.ObjectRef;
import dev.flotilla.delivery.push.Pause;
import dev.flotilla.delivery.push.RenderedObjects;
import dev.flotilla.delivery.push.SharedHttpClients;
import dev.flotilla.drift.FieldDrift;
import dev.flotilla.fleet.App;
import dev.flotilla.fleet.Cluster;
import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Site;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.git.Snapshot;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "diff", description =
    "Shows what applying the site's desired state would create, change and delete on its live cluster, "
    + "by a server-side dry run of every object (nothing is changed). Exit 0 when nothing would change, "
    + "3 when something would, 1 when the cluster refuses or cannot be reached.")
final class DiffCommand implements Callable<Integer> {
  /** Something would change: as {@code diff}, a non-zero exit that is no failure. */
  static final int CHANGES = 3;

  @Mixin RepoOptions repo;
  @Mixin RenderOptions render;

  @Option(names = "--site", required = true, paramLabel = "SITE", description = "The site whose cluster is compared.")
  String site;

  @Option(names = "--app", paramLabel = "APP", description = "Only this app (default: every app that targets the site).")
  String app;

  @Option(names = "--rev", paramLabel = "REV", description = "Revision (default: the folder as it is, or the default branch of a URL).")
  String rev;

  @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "Kubeconfig of the site's cluster.")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "Context in the kubeconfig (default: the site's spec.cluster.context, else the file's current context).")
  String context;

  @Override
  public Integer call() throws GitSyncException, FleetValidationException, RenderException, ApplyException, ManifestException {
    try (FleetRepoSource source = repo.open()) {
      Snapshot snapshot = source.snapshot(rev);
      FleetModel model = FleetLoader.load(snapshot.root());
      Site target = model.site(site).orElse(null);
      if (target == null) {
        System.err.printf("flotilla: no site named '%s' in %s (see: flotilla sites --repo %s)%n", site, source.location(), repo.repo);
        return ExitCodes.INVALID;
      }
      if (app != null && model.app(app).isEmpty()) {
        System.err.printf("flotilla: no app named '%s' (apps: %s)%n", app, model.apps().stream().map(App::name).toList());
        return ExitCodes.INVALID;
      }
      Set<String> apps = app == null ? new TreeSet<>(model.apps().stream().map(App::name).toList()) : Set.of(app);
      RenderResult result;
      try (FleetRenderer renderer = render.renderer(repo.workspace().cacheDir())) {
        result = renderer.render(model, snapshot.root(), source.revisionStamp(snapshot), apps, Set.of(site));
      }
      return diff(model, target, result);
    }
  }

  private int diff(FleetModel model, Site target, RenderResult result) throws ApplyException, ManifestException {
    String ctx = context != null ? context : target.cluster() != null ? target.cluster().context() : null;
    Path file = kubeconfig.toAbsolutePath().normalize();
    boolean changes = false;
    try (SharedHttpClients http = new SharedHttpClients(1);
        KubernetesClient client = new KubeconfigClients(file.getParent(), http.factory(), Duration.ofSeconds(5), Duration.ofSeconds(30))
            .create(site, new Cluster(file.getFileName().toString(), ctx))) {
      KubernetesApplier applier = new KubernetesApplier(site, client, KubernetesApplier.DEFAULT_INVENTORY_NAMESPACE, Pause.SLEEP,
          Duration.ofSeconds(1));
      for (String name : new TreeSet<>(result.states().keySet())) {
        DesiredState desired = result.states().get(name).get(site);
        if (desired == null) continue;
        App a = model.app(name).orElseThrow();
        ApplyPreview preview = applier.preview(name, RenderedObjects.of(desired), ApplySettings.of(a.apply()));
        System.out.print(format(site, name, preview));
        changes |= !preview.changesNothing();
      }
    }
    return changes ? CHANGES : ExitCodes.OK;
  }

  /** The preview as a person reads it: one line per object, {@code +} created, {@code ~} changed (with its fields), {@code -} deleted. */
  static String format(String site, String app, ApplyPreview p) {
    StringBuilder s = new StringBuilder();
    s.append("site ").append(site).append(", app ").append(app).append(": ").append(p.created().size()).append(" to create, ")
        .append(p.changed().size()).append(" to change, ").append(p.deleted().size()).append(" to delete, ")
        .append(p.unchanged().size()).append(" unchanged\n");
    for (ObjectRef r : p.created()) s.append("  + ").append(r.id()).append('\n');
    List<Map.Entry<ObjectRef, List<FieldDrift>>> changed = p.changed().entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(ObjectRef::id))).toList();
    for (Map.Entry<ObjectRef, List<FieldDrift>> e : changed) {
      s.append("  ~ ").append(e.getKey().id()).append('\n');
      for (FieldDrift f : e.getValue()) s.append("      ").append(f).append('\n');
    }
    for (ObjectRef r : p.deleted()) s.append("  - ").append(r.id()).append('\n');
    for (ObjectRef r : p.kept()) s.append("  ! ").append(r.id()).append(" left Git and is kept (flotilla.dev/prune: \"false\")\n");
    return s.toString();
  }
}
