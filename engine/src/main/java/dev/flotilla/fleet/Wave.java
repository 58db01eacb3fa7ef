package dev.flotilla.fleet;

import java.util.List;
import java.util.Objects;

/** A wave of one app's plan: its spec and the sites it holds, in name order. */
public record Wave(WaveSpec spec, List<Site> sites) {
  public Wave {
    Objects.requireNonNull(spec, "spec");
    sites = List.copyOf(sites);
  }

  public String name() {
    return spec.name();
  }

  public List<String> siteNames() {
    return sites.stream().map(Site::name).toList();
  }
}
