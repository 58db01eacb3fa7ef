package dev.flotilla.plan;

import java.util.List;

/** What moving the fleet repo from one revision to another changes, app by app and wave by wave. */
public record Plan(String from, String to, List<AppPlan> apps) {
  public Plan {
    apps = List.copyOf(apps);
  }

  public boolean isEmpty() {
    return apps.isEmpty();
  }

  /**
   * The plan narrowed to one site: each app keeps its waves (the summary) and only that site's
   * change; an app that does not change at the site is left out.
   */
  public Plan onlySite(String site) {
    List<AppPlan> narrowed = apps.stream()
        .map(a -> new AppPlan(a.app(), a.policy(), a.waves(), a.sites().stream().filter(s -> s.site().equals(site)).toList()))
        .filter(a -> !a.sites().isEmpty())
        .toList();
    return new Plan(from, to, narrowed);
  }
}
