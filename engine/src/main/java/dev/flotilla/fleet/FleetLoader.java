package dev.flotilla.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private FleetLoader() {}

  public static FleetModel load(Path root) throws FleetValidationException {
    Problems problems = new Problems();
    FleetModel model = read(root, problems);
    if (!problems.isEmpty()) throw new FleetValidationException(problems.sorted());
    return model;
  }

  private static FleetModel read(Path root, Problems problems) {
    Path fleetFile = root.resolve(FLEET_FILE);
    if (!Files.isRegularFile(fleetFile)) {
      problems.add(FLEET_FILE, 0, "", "missing: a fleet repo has a fleet.yaml (kind: Fleet) at its root ("
          + root.toAbsolutePath() + ")");
      return null;
    }
    Fleet fleet = readFleet(root, fleetFile, problems);
    if (fleet == null) return null;

    Map<String, String> siteWhere = new HashMap<>();
    List<Site> sites = new ArrayList<>();
    for (Path file : yamlFiles(root, "sites", problems)) {
      for (Header h : headers(root, file, "Site", problems)) {
        Site site = SiteReader.read(h, fleet);
        if (site != null && unique(siteWhere, h, "site", problems)) sites.add(site);
      }
    }
    sites.sort(java.util.Comparator.comparing(Site::name));

    Map<String, String> policyWhere = new HashMap<>();
    List<PolicyReader.Declared> policies = new ArrayList<>();
    for (Path file : yamlFiles(root, "policies", problems)) {
      for (Header h : headers(root, file, "RolloutPolicy", problems)) {
        PolicyReader.Declared p = PolicyReader.read(h, fleet);
        if (unique(policyWhere, h, "policy", problems)) policies.add(p);
      }
    }

    List<AppReader.Declared> apps = new ArrayList<>();
    for (Path appDir : appDirs(root, problems)) {
      Path appFile = appDir.resolve("app.yaml");
      String rel = YamlFile.relative(root, appDir);
      if (!Files.isRegularFile(appFile)) {
        problems.add(rel, 0, "", "missing app.yaml (kind: App) in the app folder");
        continue;
      }
      List<Header> headers = headers(root, appFile, "App", problems);
      if (headers.size() > 1) {
        problems.add(YamlFile.relative(root, appFile), headers.get(1).line(), "", "one App per app.yaml");
      }
      if (headers.isEmpty()) continue;
      AppReader.Declared app = AppReader.read(headers.get(0), appDir.getFileName().toString(), fleet, problems);
      if (app != null) apps.add(app);
    }

    Map<String, java.util.Set<String>> siteOverlays = new FleetChecks(root, fleet, sites, policies, apps, problems).run();
    return new FleetModel(fleet, sites, apps.stream().map(AppReader.Declared::app).toList(),
        policies.stream().map(PolicyReader.Declared::policy).toList(), siteOverlays);
  }

  private static Fleet readFleet(Path root, Path fleetFile, Problems problems) {
    int before = problems.size();
    List<Node> docs = YamlFile.documents(root, fleetFile, problems);
    if (docs.size() > 1) problems.add(FLEET_FILE, Fields.line(docs.get(1)), "", "fleet.yaml holds exactly one document");
    if (docs.isEmpty() && problems.size() > before) return null; // the YAML error says why; it is not empty
    if (docs.isEmpty()) {
      problems.add(FLEET_FILE, 0, "", "fleet.yaml is empty: expected a kind: Fleet document");
      return null;
    }
    Header h = Header.read(FLEET_FILE, docs.get(0), "Fleet", problems);
    return h == null ? null : FleetReader.read(h, problems);
  }

  private static List<Header> headers(Path root, Path file, String kind, Problems problems) {
    String rel = YamlFile.relative(root, file);
    List<Header> out = new ArrayList<>();
    for (Node doc : YamlFile.documents(root, file, problems)) {
      Header h = Header.read(rel, doc, kind, problems);
      if (h != null) out.add(h);
    }
    return out;
  }

  private static boolean unique(Map<String, String> where, Header h, String what, Problems problems) {
    String first = where.putIfAbsent(h.name(), h.file() + ":" + h.nameLine());
    if (first == null) return true;
    problems.add(h.file(), h.nameLine(), "metadata.name", "duplicate " + what + " name '" + h.name()
        + "' (first declared at " + first + ")");
    return false;
  }

  private static List<Path> yamlFiles(Path root, String dir, Problems problems) {
    Path folder = root.resolve(dir);
    if (!Files.isDirectory(folder)) return List.of();
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      problems.add(dir, 0, "", "cannot list folder: " + e.getMessage());
      return List.of();
    }
  }

  private static List<Path> appDirs(Path root, Problems problems) {
    Path apps = root.resolve("apps");
    if (!Files.isDirectory(apps)) return List.of();
    try (Stream<Path> list = Files.list(apps)) {
      return list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      problems.add("apps", 0, "", "cannot list folder: " + e.getMessage());
      return List.of();
    }
  }
}
