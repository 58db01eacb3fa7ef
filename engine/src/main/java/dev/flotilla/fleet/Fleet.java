package dev.flotilla.fleet;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The fleet-wide settings from {@code fleet.yaml}: the ordered tiers, windows and freezes. */
public record Fleet(String name, List<Tier> tiers, Map<String, Window> windows, List<Freeze> freezes) {
  public Fleet {
    Objects.requireNonNull(name, "name");
    tiers = List.copyOf(tiers);
    windows = Map.copyOf(windows == null ? Map.of() : windows);
    freezes = List.copyOf(freezes == null ? List.of() : freezes);
  }

  public Optional<Tier> tier(String tierName) {
    return tiers.stream().filter(t -> t.name().equals(tierName)).findFirst();
  }
}
