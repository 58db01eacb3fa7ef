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
import dev.flotilla.fleet.Delivery;
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
import java.util.ArrayList;
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
    + "by a server-side dry run of every object (nothing is changed). Without --site, a dry run of the app's "
    + "release: every push site it targets, each through its spec.cluster in --kubeconfig-dir. Exit 0 when "
    + "nothing would change, 3 when something would, 1 when a cluster refuses or cannot be reached.")
final class DiffCommand implements Callable<Integer> {
  /** Something would change: as {@code diff}, a non-zero exit that is no failure. */
  static final int CHANGES = 3;

  @Mixin RepoOptions repo;
  @Mixin RenderOptions render;

  @Option(names = "--site", paramLabel = "SITE", description = "The site whose cluster is compared (default: every push site the --app targets).")
  String site;

  @Option(names = "--app", paramLabel = "APP", description = "Only this app (default: every app that targets the site).")
  String app;

  @Option(names = "--rev", paramLabel = "REV", description = "Revision (default: the folder as it is, or the default branch of a URL).")
  String rev;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig of the site's cluster (with --site).")
  Path kubeconfig;

  @Option(names = "--kubeconfig-dir", paramLabel = "DIR",
      description = "The engine's kubeconfig folder: each site's spec.cluster names its file and context there (as serve --kubeconfig-dir).")
  Path kubeconfigDir;

  @Option(names = "--context", paramLabel = "NAME",
      description = "Context in the kubeconfig (default: the site's spec.cluster.context, else the file's current context).")
  String context;

  @Override
  public Integer call() throws GitSyncException, FleetValidationException, RenderException, ApplyException, ManifestException {
    if ((kubeconfig == null) == (kubeconfigDir == null)) {
      System.err.println("flotilla: give --kubeconfig FILE (one site) or --kubeconfig-dir DIR (sites' spec.cluster), not both");
      return ExitCodes.INVALID;
    }
    if (site == null && (app == null || kubeconfigDir == null)) {
      System.err.println("flotilla: without --site, give --app APP and --kubeconfig-dir DIR: a dry run of the app's release at every push site");
      return ExitCodes.INVALID;
    }
    try (FleetRepoSource source = repo.open()) {
      Snapshot snapshot = source.snapshot(rev);
      FleetModel model = FleetLoader.load(snapshot.root());
      if (app != null && model.app(app).isEmpty()) {
        System.err.printf("flotilla: no app named '%s' (apps: %s)%n", app, model.apps().stream().map(App::name).toList());
        return ExitCodes.INVALID;
      }
      List<Site> targets;
      if (site != null) {
        Site one = model.site(site).orElse(null);
        if (one == null) {
          System.err.printf("flotilla: no site named '%s' in %s (see: flotilla sites --repo %s)%n", site, source.location(), repo.repo);
          return ExitCodes.INVALID;
        }
        targets = List.of(one);
      } else {
        targets = model.targets(model.app(app).orElseThrow()).stream().filter(s -> s.delivery() == Delivery.PUSH).toList();
      }
      Set<String> apps = app == null ? new TreeSet<>(model.apps().stream().map(App::name).toList()) : Set.of(app);
      RenderResult result;
      try (FleetRenderer renderer = render.renderer(repo.workspace().cacheDir())) {
        result = renderer.render(model, snapshot.root(), source.revisionStamp(snapshot), apps,
            targets.stream().map(Site::name).collect(java.util.stream.Collectors.toSet()));
      }
      if (site != null) return diff(model, targets.get(0), result);
      return release(model, targets, result);
    }
  }

  private int diff(FleetModel model, Site target, RenderResult result) throws ApplyException, ManifestException {
    if (kubeconfigDir != null && target.cluster() == null) {
      System.err.printf("flotilla: site %s has no spec.cluster naming its kubeconfig in %s; give --kubeconfig FILE%n", target.name(), kubeconfigDir);
      return ExitCodes.INVALID;
    }
    String ctx = context != null ? context : target.cluster() != null ? target.cluster().context() : null;
    try (SharedHttpClients http = new SharedHttpClients(1); KubernetesClient client = client(http, target, ctx)) {
      return preview(model, target.name(), client, result) ? CHANGES : ExitCodes.OK;
    }
  }

  /** Every push site of the release, one after another; a site that refuses or cannot be reached is named and the rest go on. */
  private int release(FleetModel model, List<Site> targets, RenderResult result) {
    int changed = 0;
    int same = 0;
    List<String> failed = new ArrayList<>();
    try (SharedHttpClients http = new SharedHttpClients(1)) {
      for (Site s : targets) {
        if (s.cluster() == null) {
          failed.add(s.name() + ": no spec.cluster");
          continue;
        }
        try (KubernetesClient client = client(http, s, s.cluster().context())) {
          if (preview(model, s.name(), client, result)) changed++;
          else same++;
        } catch (ApplyException | ManifestException | RuntimeException e) {
          failed.add(s.name() + ": " + e.getMessage());
        }
      }
    }
    System.out.printf("release of %s: %d site(s) would change, %d unchanged, %d could not be compared%n", app, changed, same, failed.size());
    for (String f : failed) System.err.println("flotilla: " + f);
    if (!failed.isEmpty()) return ExitCodes.FAILED;
    return changed > 0 ? CHANGES : ExitCodes.OK;
  }

  private KubernetesClient client(SharedHttpClients http, Site target, String ctx) throws ApplyException {
    if (kubeconfig != null) {
      Path file = kubeconfig.toAbsolutePath().normalize();
      return new KubeconfigClients(file.getParent(), http.factory(), Duration.ofSeconds(5), Duration.ofSeconds(30))
          .create(target.name(), new Cluster(file.getFileName().toString(), ctx));
    }
    return new KubeconfigClients(kubeconfigDir.toAbsolutePath().normalize(), http.factory(), Duration.ofSeconds(5), Duration.ofSeconds(30))
        .create(target.name(), new Cluster(target.cluster().kubeconfig(), ctx));
  }

  /** Prints the dry run of every app rendered for the site; true when something would change. */
  private static boolean preview(FleetModel model, String site, KubernetesClient client, RenderResult result)
      throws ApplyException, ManifestException {
    KubernetesApplier applier = new KubernetesApplier(site, client, KubernetesApplier.DEFAULT_INVENTORY_NAMESPACE, Pause.SLEEP,
        Duration.ofSeconds(1));
    boolean changes = false;
    for (String name : new TreeSet<>(result.states().keySet())) {
      DesiredState desired = result.states().get(name).get(site);
      if (desired == null) continue;
      ApplyPreview preview = applier.preview(name, desired.revision(), RenderedObjects.of(desired),
          ApplySettings.of(model.applyOptions(name)));
      System.out.print(format(site, name, preview));
      changes |= !preview.changesNothing();
    }
    return changes;
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
