package dev.flotilla.rollout;

import dev.flotilla.fleet.Fleet;
import dev.flotilla.fleet.Freeze;
import dev.flotilla.fleet.Window;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The fleet-wide calendar a rollout obeys: named maintenance windows and freezes, from fleet.yaml. */
public record FleetTime(Map<String, Window> windows, List<Freeze> freezes) {

  public static final FleetTime ALWAYS = new FleetTime(Map.of(), List.of());

  public FleetTime {
    windows = Map.copyOf(windows == null ? Map.of() : windows);
    freezes = List.copyOf(freezes == null ? List.of() : freezes);
  }

  public static FleetTime of(Fleet fleet) {
    return new FleetTime(fleet.windows(), fleet.freezes());
  }

  /** The freeze that holds at {@code t}, the one ending last when several overlap. */
  public Optional<Freeze> freezeAt(Instant t) {
    return freezes.stream().filter(f -> f.holdsAt(t)).max(java.util.Comparator.comparing(Freeze::end));
  }

  public Optional<Window> window(String name) {
    return Optional.ofNullable(windows.get(name));
  }
}
