package dev.flotilla.render;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The desired states of a fleet render, by app then site (both in name order), and its stats. */
public record RenderResult(Map<String, Map<String, DesiredState>> states, RenderStats stats) {
  public RenderResult {
    SortedMap<String, Map<String, DesiredState>> byApp = new TreeMap<>();
    states.forEach((app, bySite) -> byApp.put(app, Collections.unmodifiableSortedMap(new TreeMap<>(bySite))));
    states = Collections.unmodifiableSortedMap(byApp);
  }

  public Optional<DesiredState> state(String app, String site) {
    return Optional.ofNullable(states.getOrDefault(app, Map.of()).get(site));
  }

  /** How many (site, app) desired states the render produced. */
  public int size() {
    return states.values().stream().mapToInt(Map::size).sum();
  }
}
