package dev.flotilla.rollout;

import dev.flotilla.fleet.Delivery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many of each wave's sites are in each status, by delivery, and how many done sites are not
 * healthy: what a step asks several times per wave. Counted once for a plan and a site map, then
 * carried to the next site map by the changed sites only, so a step over a 10,000-site rollout
 * does not walk every site for each question.
 */
final class WaveTally {
  private static final int STATUSES = SiteStatus.values().length;
  private static final int DELIVERIES = Delivery.values().length;

  /** Where each site of the plan is: its wave, and its delivery; shared by every tally of the plan. */
  private record Place(int wave, Delivery delivery) {}

  final RolloutPlan plan;
  private final Map<String, Place> places;
  private final int[][] counts; // [wave][status * DELIVERIES + delivery]
  private final int[] doneUnhealthy;

  private WaveTally(RolloutPlan plan, Map<String, Place> places, int[][] counts, int[] doneUnhealthy) {
    this.plan = plan;
    this.places = places;
    this.counts = counts;
    this.doneUnhealthy = doneUnhealthy;
  }

  static WaveTally count(RolloutPlan plan, Map<String, SiteProgress> sites) {
    List<PlannedWave> waves = plan.waves();
    Map<String, Place> places = new HashMap<>();
    int[][] counts = new int[waves.size()][STATUSES * DELIVERIES];
    int[] doneUnhealthy = new int[waves.size()];
    for (int w = 0; w < waves.size(); w++) {
      for (PlannedSite s : waves.get(w).sites()) {
        places.putIfAbsent(s.site(), new Place(w, s.delivery()));
        SiteProgress p = sites.getOrDefault(s.site(), SiteProgress.PENDING);
        counts[w][slot(p.status(), s.delivery())]++;
        if (unhealthyDone(p)) doneUnhealthy[w]++;
      }
    }
    return new WaveTally(plan, places, counts, doneUnhealthy);
  }

  /** This tally with the sites of {@code changes} moved from their progress in {@code before}. */
  WaveTally with(Map<String, SiteProgress> before, Map<String, SiteProgress> changes) {
    int[][] copy = new int[counts.length][];
    for (int w = 0; w < counts.length; w++) copy[w] = counts[w].clone();
    int[] unhealthy = doneUnhealthy.clone();
    for (Map.Entry<String, SiteProgress> e : changes.entrySet()) {
      Place place = places.get(e.getKey());
      if (place == null) continue; // not in the plan: counted nowhere
      SiteProgress old = before.getOrDefault(e.getKey(), SiteProgress.PENDING);
      copy[place.wave()][slot(old.status(), place.delivery())]--;
      copy[place.wave()][slot(e.getValue().status(), place.delivery())]++;
      if (unhealthyDone(old)) unhealthy[place.wave()]--;
      if (unhealthyDone(e.getValue())) unhealthy[place.wave()]++;
    }
    return new WaveTally(plan, places, copy, unhealthy);
  }

  int count(int wave, SiteStatus status) {
    int n = 0;
    for (Delivery d : Delivery.values()) n += counts[wave][slot(status, d)];
    return n;
  }

  int count(int wave, SiteStatus status, Delivery delivery) {
    return counts[wave][slot(status, delivery)];
  }

  int pullSites(int wave) {
    int n = 0;
    for (SiteStatus s : SiteStatus.values()) n += counts[wave][slot(s, Delivery.PULL)];
    return n;
  }

  int doneUnhealthy(int wave) {
    return doneUnhealthy[wave];
  }

  private static boolean unhealthyDone(SiteProgress p) {
    return p.status() == SiteStatus.DONE && !Boolean.TRUE.equals(p.healthy());
  }

  private static int slot(SiteStatus status, Delivery delivery) {
    return status.ordinal() * DELIVERIES + delivery.ordinal();
  }
}
