package dev.flotilla.plan;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A wave of an app's policy: the sites it holds, in order, which of them the change reaches (their
 * rendered output differs between the two revisions), and those counts per tier, in the fleet's
 * tier order (empty when the plan was made without tiers), and the maintenance window its sites are
 * updated in, if its policy names one.
 */
public record WaveSites(String name, List<String> sites, Set<String> changing, List<TierCount> tiers, Optional<WaveWindow> window) {
  public WaveSites {
    sites = List.copyOf(sites);
    changing = Set.copyOf(changing);
    tiers = List.copyOf(tiers);
    window = window == null ? Optional.empty() : window;
  }

  public WaveSites(String name, List<String> sites, Set<String> changing, List<TierCount> tiers) {
    this(name, sites, changing, tiers, Optional.empty());
  }

  public WaveSites(String name, List<String> sites, Set<String> changing) {
    this(name, sites, changing, List.of());
  }

  /** True when the change reaches {@code site}. */
  public boolean changes(String site) {
    return changing.contains(site);
  }

  /** The wave's sites that change, in wave order. */
  public List<String> changed() {
    return sites.stream().filter(changing::contains).toList();
  }

  /** The wave's sites that do not change, in wave order. */
  public List<String> unchanged() {
    return sites.stream().filter(s -> !changing.contains(s)).toList();
  }

  /** "11 sites, 5 change". */
  public String counts() {
    return PlanWords.counts(sites.size(), (int) sites.stream().filter(changing::contains).count());
  }
}
