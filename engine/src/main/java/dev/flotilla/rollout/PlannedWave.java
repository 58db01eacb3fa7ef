package dev.flotilla.rollout;

import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.WaveSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** One wave of a frozen plan: the policy's spec as it was at start, and the wave's sites in name order. */
public record PlannedWave(String name, WaveSpec spec, List<PlannedSite> sites) {
  public PlannedWave {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    sites = sites.stream().sorted(Comparator.comparing(PlannedSite::site)).toList();
  }

  public List<String> siteNames() {
    return sites.stream().map(PlannedSite::site).toList();
  }

  public boolean holds(String site) {
    return sites.stream().anyMatch(s -> s.site().equals(site));
  }

  /** How many of the wave's sites are pull sites; the completion threshold is a share of these. */
  public int pullSiteCount() {
    return (int) sites.stream().filter(s -> s.delivery() == Delivery.PULL).count();
  }

  PlannedWave withSites(List<PlannedSite> newSites) {
    return new PlannedWave(name, spec, newSites);
  }

  PlannedWave withSpec(WaveSpec newSpec) {
    return new PlannedWave(name, newSpec, sites);
  }
}
