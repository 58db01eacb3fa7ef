package dev.flotilla.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates a fleet repo folder (one revision's snapshot) into a {@link FleetModel}. It
 * reads only declarations; rendering the kustomizations is another step. Every problem in the
 * whole repo is collected before failing, so one run of {@code flotilla validate} shows them all.
 */
public final class FleetLoader {
  static final String FLEET_FILE = "fleet.yaml";

  private final RepoJail jail;
  private final ReadLimits limits;
  private final Clock clock;
  private final Problems problems = new Problems();

  private FleetLoader(RepoJail jail, ReadLimits limits, Clock clock) {
    this.jail = jail;
    this.limits = limits;
    this.clock = clock;
  }

  /** Loads with the read limits of this process's environment ({@link ReadLimits#fromEnvironment}). */
  public static FleetModel load(Path root) throws FleetValidationException {
    return load(root, ReadLimits.fromEnvironment(System.getenv()));
  }

  /**
   * Loads the repo at {@code root}; every file is read through the repo's {@link RepoJail} within
   * {@code limits}.
   */
  public static FleetModel load(Path root, ReadLimits limits) throws FleetValidationException {
    return load(root, limits, Clock.systemUTC());
  }

  /** As {@link #load(Path, ReadLimits)}; {@code clock} decides whether a window can still open. */
  public static FleetModel load(Path root, ReadLimits limits, Clock clock) throws FleetValidationException {
    RepoJail jail;
    try {
      jail = RepoJail.of(root);
    } catch (IOException e) {
      throw new FleetValidationException(List.of(new Problem(FLEET_FILE, 0, "",
          "the fleet repo folder cannot be read (" + root.toAbsolutePath() + "): " + e)));
    }
    FleetLoader loader = new FleetLoader(jail, limits, clock);
    FleetModel model = loader.read(jail.root());
    if (!loader.problems.isEmpty()) throw new FleetValidationException(loader.problems.sorted());
    return model;
  }

  private FleetModel read(Path root) {
    Path fleetFile = root.resolve(FLEET_FILE);
    if (!Files.exists(fleetFile, LinkOption.NOFOLLOW_LINKS)) {
      problems.add(FLEET_FILE, 0, "", "missing: a fleet repo has a fleet.yaml (kind: Fleet) at its root ("
          + root.toAbsolutePath() + ")");
      return null;
    }
    Fleet fleet = readFleet(fleetFile);
    if (fleet == null) return null;

    Map<String, String> siteWhere = new HashMap<>();
    List<Site> sites = new ArrayList<>();
    for (Path file : yamlFiles(root, "sites")) {
      for (Header h : headers(file, "Site")) {
        Site site = SiteReader.read(h, fleet);
        if (site != null && unique(siteWhere, h, "site")) sites.add(site);
      }
    }
    sites.sort(java.util.Comparator.comparing(Site::name));

    Map<String, String> policyWhere = new HashMap<>();
    List<PolicyReader.Declared> policies = new ArrayList<>();
    for (Path file : yamlFiles(root, "policies")) {
      for (Header h : headers(file, "RolloutPolicy")) {
        PolicyReader.Declared p = PolicyReader.read(h, fleet);
        if (unique(policyWhere, h, "policy")) policies.add(p);
      }
    }

    List<AppReader.Declared> apps = new ArrayList<>();
    for (Path appDir : appDirs(root)) {
      Path appFile = appDir.resolve("app.yaml");
      String rel = jail.relative(appDir);
      if (!Files.exists(appFile, LinkOption.NOFOLLOW_LINKS)) {
        problems.add(rel, 0, "", "missing app.yaml (kind: App) in the app folder");
        continue;
      }
      List<Header> headers = headers(appFile, "App");
      if (headers.size() > 1) {
        problems.add(jail.relative(appFile), headers.get(1).line(), "", "one App per app.yaml");
      }
      if (headers.isEmpty()) continue;
      AppReader.Declared app = AppReader.read(headers.get(0), appDir.getFileName().toString(), fleet, problems);
      if (app != null) apps.add(app);
    }

    Map<String, java.util.Set<String>> siteOverlays = new FleetChecks(jail, limits, fleet, sites, policies, apps, problems).run();
    return new FleetModel(fleet, sites, apps.stream().map(AppReader.Declared::app).toList(),
        policies.stream().map(PolicyReader.Declared::policy).toList(), siteOverlays);
  }

  private Fleet readFleet(Path fleetFile) {
    int before = problems.size();
    List<Node> docs = YamlFile.documents(jail, limits, fleetFile, problems);
    if (problems.size() > before) return null; // unreadable or not YAML: said once, not again as "empty"
    if (docs.size() > 1) problems.add(FLEET_FILE, Fields.line(docs.get(1)), "", "fleet.yaml holds exactly one document");
    if (docs.isEmpty() && problems.size() > before) return null; // the YAML error says why; it is not empty
    if (docs.isEmpty()) {
      problems.add(FLEET_FILE, 0, "", "fleet.yaml is empty: expected a kind: Fleet document");
      return null;
    }
    Header h = Header.read(FLEET_FILE, docs.get(0), "Fleet", problems);
    return h == null ? null : FleetReader.read(h, clock.instant(), problems);
  }

  private List<Header> headers(Path file, String kind) {
    String rel = jail.relative(file);
    List<Header> out = new ArrayList<>();
    for (Node doc : YamlFile.documents(jail, limits, file, problems)) {
      Header h = Header.read(rel, doc, kind, problems);
      if (h != null) out.add(h);
    }
    return out;
  }

  private boolean unique(Map<String, String> where, Header h, String what) {
    String first = where.putIfAbsent(h.name(), h.file() + ":" + h.nameLine());
    if (first == null) return true;
    problems.add(h.file(), h.nameLine(), "metadata.name", "duplicate " + what + " name '" + h.name()
        + "' (first declared at " + first + ")");
    return false;
  }

  /**
   * The YAML files under {@code dir}, links included (links are not followed into folders; a link
   * is read, or refused, by {@link RepoJail#readText} like any file). A folder that is itself a
   * link out of the repo is reported, never listed.
   */
  private List<Path> yamlFiles(Path root, String dir) {
    Path folder = root.resolve(dir);
    if (!Files.isDirectory(folder)) return List.of();
    String outside = jail.whyOutside(folder);
    if (outside != null) {
      problems.add(dir, 0, "", outside + ": not read");
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(p -> Files.isSymbolicLink(p) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      problems.add(dir, 0, "", "cannot list folder: " + e.getMessage());
      return List.of();
    }
  }

  private List<Path> appDirs(Path root) {
    Path apps = root.resolve("apps");
    if (!Files.isDirectory(apps)) return List.of();
    String outside = jail.whyOutside(apps);
    if (outside != null) {
      problems.add("apps", 0, "", outside + ": not read");
      return List.of();
    }
    try (Stream<Path> list = Files.list(apps)) {
      return list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      problems.add("apps", 0, "", "cannot list folder: " + e.getMessage());
      return List.of();
    }
  }
}
