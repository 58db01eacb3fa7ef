package dev.flotilla.plan;

import java.util.List;

/** A wave of an app's policy and the sites it holds, in order. */
public record WaveSites(String name, List<String> sites) {
  public WaveSites {
    sites = List.copyOf(sites);
  }
}
