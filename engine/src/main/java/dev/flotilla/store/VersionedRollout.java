package dev.flotilla.store;

import dev.flotilla.rollout.Rollout;
import java.util.Objects;

/** A rollout as read from the store, with the version a compare-and-set update must name. */
public record VersionedRollout(Rollout rollout, long version) {
  public VersionedRollout {
    Objects.requireNonNull(rollout, "rollout");
  }

  public String id() {
    return rollout.id();
  }
}
