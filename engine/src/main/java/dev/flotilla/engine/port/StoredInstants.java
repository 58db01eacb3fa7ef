package dev.flotilla.engine.port;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The precision of times in the store: microseconds, so that a value read back equals the one
 * written rather than something each database rounds its own way. Values crossing the ports cut
 * their times to it in their constructors.
 */
public final class StoredInstants {
  private StoredInstants() {}

  public static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }
}
