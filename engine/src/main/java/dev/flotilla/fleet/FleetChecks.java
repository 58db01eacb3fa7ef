package dev.flotilla.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The checks that need the whole fleet at once: references between apps, policies, sites and
 * overlays, selectors that select nothing, targeted sites that no wave selects, and what every
 * overlay's kustomizations name (inside the repo, remote resources allowed and pinned).
 */
final class FleetChecks {
  private static final List<String> KUSTOMIZATION_FILES = OverlayInputs.KUSTOMIZATION_FILES;
  private static final int LISTED = 5;

  private final RepoJail jail;
  private final ReadLimits limits;
  private final Path root;
  private final Fleet fleet;
  private final List<Site> sites;
  private final List<PolicyReader.Declared> policies;
  private final List<AppReader.Declared> apps;
  private final Problems problems;

  FleetChecks(RepoJail jail, ReadLimits limits, Fleet fleet, List<Site> sites, List<PolicyReader.Declared> policies,
      List<AppReader.Declared> apps, Problems problems) {
    this.jail = jail;
    this.limits = limits;
    this.root = jail.root();
    this.fleet = fleet;
    this.sites = sites;
    this.policies = policies;
    this.apps = apps;
    this.problems = problems;
  }

  /** Runs every check; returns the site overlays found per app. */
  Map<String, Set<String>> run() {
    wavesSelectSomething();
    Map<String, PolicyReader.Declared> byName =
        policies.stream().collect(Collectors.toMap(p -> p.policy().name(), Function.identity(), (a, b) -> a));
    Map<String, Set<String>> siteOverlays = new TreeMap<>();
    for (AppReader.Declared app : apps) {
      List<Site> targets = sites.stream().filter(app.app().targets()::matches).toList();
      String file = app.header().file();
      if (targets.isEmpty()) {
        problems.add(file, app.targetsLine(), "spec.targets", "selects no site of the fleet");
      }
      PolicyReader.Declared policy = byName.get(app.app().policy());
      if (policy == null) {
        problems.add(file, app.policyLine(), "spec.policy", "no RolloutPolicy named '" + app.app().policy()
            + "' (policies: " + new TreeSet<>(byName.keySet()) + ")");
      } else {
        everyTargetInAWave(app, policy.policy(), targets);
      }
      overlaysExist(app, targets);
      siteOverlays.put(app.app().name(), siteOverlays(app, targets));
      kustomizationsStayInside(app);
    }
    return siteOverlays;
  }

  /**
   * Walks the base and every overlay of the app as kustomize would read them; each entry that
   * leaves the repo or fetches what fleet.yaml does not allow is a problem, reported once even
   * when several overlays share the base that holds it.
   */
  private void kustomizationsStayInside(AppReader.Declared app) {
    Path dir = root.resolve(app.app().dir());
    List<Path> overlays = new java.util.ArrayList<>();
    overlays.add(dir.resolve("base"));
    for (String o : subfolders(dir.resolve("overlays"))) overlays.add(dir.resolve("overlays").resolve(o));
    for (String s : subfolders(dir.resolve("sites"))) overlays.add(dir.resolve("sites").resolve(s));
    Set<Problem> found = new java.util.LinkedHashSet<>();
    for (Path overlay : overlays) {
      if (!hasKustomization(overlay)) continue;
      found.addAll(OverlayInputs.of(jail, overlay, fleet.remoteHosts(), limits).problems());
    }
    found.forEach(p -> problems.add(p.file(), p.line(), p.field(), p.message()));
  }

  private void wavesSelectSomething() {
    for (PolicyReader.Declared p : policies) {
      List<WaveSpec> waves = p.policy().waves();
      for (int i = 0; i < waves.size(); i++) {
        WaveSpec w = waves.get(i);
        if (sites.stream().noneMatch(w.selector()::matches)) {
          problems.add(p.header().file(), p.waveLines().get(i), p.wavePaths().get(i) + ".selector",
              "wave '" + w.name() + "' selects no site of the fleet");
        }
      }
    }
  }

  private void everyTargetInAWave(AppReader.Declared app, RolloutPolicy policy, List<Site> targets) {
    List<Site> unselected = WavePlanner.plan(policy, targets).unselected();
    if (unselected.isEmpty()) return;
    List<String> names = unselected.stream().map(Site::name).toList();
    String listed = String.join(", ", names.subList(0, Math.min(LISTED, names.size())))
        + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : "");
    problems.add(app.header().file(), app.policyLine(), "spec.policy", unselected.size()
        + " targeted site(s) are selected by no wave of policy '" + policy.name() + "': " + listed);
  }

  private void overlaysExist(AppReader.Declared app, List<Site> targets) {
    String dir = app.app().dir();
    if (!hasKustomization(root.resolve(dir).resolve("base"))) {
      problems.add(dir + "/base", 0, "", "missing kustomization: every app has a base (" + dir
          + "/base/kustomization.yaml)");
    }
    Set<String> tiers = targets.stream().map(Site::tier).collect(Collectors.toCollection(TreeSet::new));
    for (String tier : tiers) {
      if (!hasKustomization(root.resolve(dir).resolve("overlays").resolve(tier))) {
        problems.add(app.header().file(), app.targetsLine(), "spec.targets", "targets sites of tier '" + tier
            + "' but " + dir + "/overlays/" + tier + "/kustomization.yaml is missing");
      }
    }
    for (String overlay : subfolders(root.resolve(dir).resolve("overlays"))) {
      if (fleet.tier(overlay).isEmpty()) {
        problems.add(dir + "/overlays/" + overlay, 0, "", "overlay names no tier of fleet.yaml (tiers: "
            + fleet.tiers().stream().map(Tier::name).toList() + ")");
      }
    }
  }

  private Set<String> siteOverlays(AppReader.Declared app, List<Site> targets) {
    String dir = app.app().dir() + "/sites";
    Set<String> all = sites.stream().map(Site::name).collect(Collectors.toSet());
    Set<String> targeted = targets.stream().map(Site::name).collect(Collectors.toSet());
    Set<String> found = new TreeSet<>();
    for (String site : subfolders(root.resolve(dir))) {
      String where = dir + "/" + site;
      if (!all.contains(site)) {
        problems.add(where, 0, "", "site overlay names no site of the fleet: '" + site + "'");
      } else if (!targeted.contains(site)) {
        problems.add(app.header().file(), app.targetsLine(), "spec.targets", "the site overlay " + where + " is for site '"
            + site + "', which these targets do not select: add the site to the targets or remove the overlay");
      } else if (!hasKustomization(root.resolve(where))) {
        problems.add(where, 0, "", "missing kustomization.yaml in the site overlay");
      } else {
        found.add(site);
      }
    }
    return found;
  }

  private static boolean hasKustomization(Path dir) {
    return KUSTOMIZATION_FILES.stream().anyMatch(f -> Files.isRegularFile(dir.resolve(f)));
  }

  private List<String> subfolders(Path dir) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      problems.add(root.relativize(dir).toString(), 0, "", "cannot list folder: " + e.getMessage());
      return List.of();
    }
  }
}
