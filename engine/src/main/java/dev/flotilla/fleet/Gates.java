package dev.flotilla.fleet;

import java.time.Duration;
import java.util.List;

/**
 * What must hold before the wave after this one starts. Every gate is optional; {@code soak} is
 * zero when absent, {@code analysis} and {@code window} null.
 */
public record Gates(
    boolean health, Duration soak, boolean approval, List<String> ci, Analysis analysis, String window) {

  public static final Gates NONE = new Gates(false, Duration.ZERO, false, List.of(), null, null);

  public Gates {
    soak = soak == null ? Duration.ZERO : soak;
    ci = List.copyOf(ci == null ? List.of() : ci);
  }
}
