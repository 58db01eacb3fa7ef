package dev.flotilla.plan;

import java.util.List;

/** The plan of one app whose rendered output changes: its policy's waves and its changed sites. */
public record AppPlan(String app, String policy, List<WaveSites> waves, List<SiteChange> sites) {
  public AppPlan {
    waves = List.copyOf(waves);
    sites = List.copyOf(sites);
  }
}
