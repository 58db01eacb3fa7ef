package dev.flotilla.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * A named maintenance window: it opens at each fire time of a Quartz cron expression, evaluated in
 * each site's own time zone, and stays open for {@code duration}.
 */
public record Window(String name, String cron, Duration duration) {
  public Window {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(duration, "duration");
  }
}
