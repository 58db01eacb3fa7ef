package dev.flotilla.fleet;

import java.time.Instant;
import java.util.Objects;

/** A fleet-wide span of time in which nothing is promoted, such as a retail peak season. */
public record Freeze(String name, Instant start, Instant end, String reason) {
  public Freeze {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) throw new IllegalArgumentException("a freeze must end after it starts");
  }

  public boolean holdsAt(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }
}
