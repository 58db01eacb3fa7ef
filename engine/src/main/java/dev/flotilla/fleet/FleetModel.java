package dev.flotilla.fleet;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one revision of a fleet repo declares, validated: the fleet, its sites (sorted by
 * name), apps and rollout policies, plus which site overlays each app has. Immutable.
 */
public record FleetModel(
    Fleet fleet,
    List<Site> sites,
    List<App> apps,
    List<RolloutPolicy> policies,
    Map<String, Set<String>> siteOverlays) {

  public FleetModel {
    sites = List.copyOf(sites);
    apps = List.copyOf(apps);
    policies = List.copyOf(policies);
    siteOverlays = Map.copyOf(siteOverlays == null ? Map.of() : siteOverlays);
  }

  public Optional<Site> site(String name) {
    return sites.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public Optional<App> app(String name) {
    return apps.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  public Optional<RolloutPolicy> policy(String name) {
    return policies.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * How {@code app} is applied at this revision: its own options plus its policy's strategy
   * (blue/green or in place). Default options for an app this revision does not declare.
   */
  public ApplyOptions applyOptions(String app) {
    return app(app)
        .map(a -> a.apply().withBlueGreen(policy(a.policy()).flatMap(RolloutPolicy::blueGreenStrategy).orElse(null)))
        .orElse(ApplyOptions.DEFAULTS);
  }

  /** The sites an app targets, in name order. */
  public List<Site> targets(App app) {
    return sites.stream().filter(app.targets()::matches).toList();
  }

  /** Whether {@code app} has its own overlay for {@code site} under {@code apps/<app>/sites/}. */
  public boolean hasSiteOverlay(String app, String site) {
    return siteOverlays.getOrDefault(app, Set.of()).contains(site);
  }
}
