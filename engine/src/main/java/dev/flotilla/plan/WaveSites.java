package dev.flotilla.plan;

import java.util.List;
import java.util.Set;

/**
 * A wave of an app's policy: the sites it holds, in order, and which of them the change reaches
 * (their rendered output differs between the two revisions).
 */
public record WaveSites(String name, List<String> sites, Set<String> changing) {
  public WaveSites {
    sites = List.copyOf(sites);
    changing = Set.copyOf(changing);
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
    return sites.size() + (sites.size() == 1 ? " site, " : " sites, ") + changed().size()
        + (changed().size() == 1 ? " changes" : " change");
  }
}
