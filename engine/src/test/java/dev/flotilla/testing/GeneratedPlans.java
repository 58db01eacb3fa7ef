package dev.flotilla.testing;

import dev.flotilla.plan.AppPlan;
import dev.flotilla.plan.ObjectDiff;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.SiteChange;
import dev.flotilla.plan.TierCount;
import dev.flotilla.plan.WaveSites;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

/** Plans made up without a fleet repo, to test what the formats and the pull request comment make of big fleets. */
public final class GeneratedPlans {
  private GeneratedPlans() {}

  /** One app whose change differs at each of {@code sites} edge sites (its image tag is the site's number): nothing groups. */
  public static Plan everySiteDifferent(String from, String to, int sites) {
    List<String> names = IntStream.rangeClosed(1, sites).mapToObj(i -> String.format("edge-%05d", i)).toList();
    List<SiteChange> changes = IntStream.rangeClosed(1, sites).mapToObj(i -> new SiteChange(names.get(i - 1), List.of(),
        List.of("Deployment/web/web"), List.of(), List.of(new ObjectDiff("Deployment/web/web",
            "--- Deployment/web/web\n+++ Deployment/web/web\n@@ -3,1 +3,1 @@\n-        image: web:1.0\n+        image: web:2." + i + "\n"))))
        .toList();
    WaveSites rest = new WaveSites("rest", names, new HashSet<>(names), List.of(new TierCount("edge", sites, sites)));
    return new Plan(from, to, List.of(new AppPlan("web", "default", List.of(rest), changes)));
  }
}
