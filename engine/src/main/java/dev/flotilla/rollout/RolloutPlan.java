package dev.flotilla.rollout;

import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.Wave;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.fleet.WaveSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The plan a rollout froze when it started: its waves, their sites, batch sizes and gates, and
 * what to do on failure. It is recorded and shown as is; only membership changes edit it.
 */
public record RolloutPlan(String policy, OnFailure onFailure, List<PlannedWave> waves) {

  public RolloutPlan {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(onFailure, "onFailure");
    waves = List.copyOf(waves);
    if (waves.isEmpty()) throw new IllegalArgumentException("a rollout plan needs at least one wave");
  }

  /** Freezes the planner's waves for {@code policy}. */
  public static RolloutPlan of(RolloutPolicy policy, WavePlanner.Result planned) {
    List<PlannedWave> waves = new ArrayList<>();
    for (Wave w : planned.waves()) {
      waves.add(new PlannedWave(w.name(), w.spec(), w.sites().stream().map(PlannedSite::of).toList()));
    }
    return new RolloutPlan(policy.name(), policy.onFailure(), waves);
  }

  public PlannedWave wave(int index) {
    return waves.get(index);
  }

  /** The index of the wave that holds {@code site}, or -1 when the plan does not hold it. */
  public int waveIndex(String site) {
    for (int i = 0; i < waves.size(); i++) {
      if (waves.get(i).holds(site)) return i;
    }
    return -1;
  }

  public List<String> siteNames() {
    return waves.stream().flatMap(w -> w.siteNames().stream()).toList();
  }

  /**
   * The plan with {@code site} in the wave that the frozen wave specs give it among {@code
   * targets} (the app's current targets, the new site included). Unchanged when the plan already
   * holds the site or when no frozen wave selects it.
   */
  public RolloutPlan withSiteAdded(Site site, List<Site> targets) {
    if (waveIndex(site.name()) >= 0) return this;
    List<WaveSpec> specs = waves.stream().map(PlannedWave::spec).toList();
    WavePlanner.Result replanned = WavePlanner.plan(new RolloutPolicy(policy, specs, null, onFailure), targets);
    for (int i = 0; i < replanned.waves().size(); i++) {
      if (replanned.waves().get(i).siteNames().contains(site.name())) {
        List<PlannedSite> sites = new ArrayList<>(waves.get(i).sites());
        sites.add(PlannedSite.of(site));
        return withWave(i, waves.get(i).withSites(sites));
      }
    }
    return this;
  }

  /** The plan without {@code site}; unchanged when it does not hold it. */
  public RolloutPlan withSiteRemoved(String site) {
    int i = waveIndex(site);
    if (i < 0) return this;
    return withWave(i, waves.get(i).withSites(waves.get(i).sites().stream().filter(s -> !s.site().equals(site)).toList()));
  }

  /** The plan reduced to {@code keep}, dropping waves left empty; specs are changed by {@code reshape}. */
  RolloutPlan restrictedTo(Set<String> keep, java.util.function.UnaryOperator<WaveSpec> reshape, OnFailure newOnFailure) {
    List<PlannedWave> kept = new ArrayList<>();
    for (PlannedWave w : waves) {
      List<PlannedSite> sites = w.sites().stream().filter(s -> keep.contains(s.site())).toList();
      if (!sites.isEmpty()) kept.add(w.withSites(sites).withSpec(reshape.apply(w.spec())));
    }
    return new RolloutPlan(policy, newOnFailure, kept);
  }

  private RolloutPlan withWave(int index, PlannedWave wave) {
    List<PlannedWave> copy = new ArrayList<>(waves);
    copy.set(index, wave);
    return new RolloutPlan(policy, onFailure, copy);
  }
}
