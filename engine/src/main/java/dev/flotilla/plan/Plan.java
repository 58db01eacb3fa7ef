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
}
