package dev.flotilla.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The maintenance window a wave's sites are updated in, and, for each time zone of the sites the
 * change reaches, whether it is open when the plan is made and when it next opens (a window is
 * evaluated in each site's own zone, so one window opens at different instants across a wave).
 */
public record WaveWindow(String name, String cron, Duration duration, List<ZoneOpening> zones) {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("HH:mm'Z'").withZone(ZoneOffset.UTC);

  public WaveWindow {
    zones = List.copyOf(zones);
  }

  /**
   * One time zone of a wave's changing sites: how many sites, whether the window is open there at
   * the plan's time, and when it next opens (empty: its cron never fires again).
   */
  public record ZoneOpening(ZoneId zone, int sites, boolean openNow, Optional<Instant> next) {
    /** "open now (Europe/Paris, 3 sites)", "opens 2026-12-01 02:00 Europe/Paris (01:00Z), 3 sites", "never opens again (…)". */
    public String describe() {
      String count = PlanWords.sites(sites);
      if (openNow) return "open now in " + zone.getId() + ", " + count;
      if (next.isEmpty()) return "never opens again in " + zone.getId() + ", " + count;
      return "opens " + LOCAL.format(next.get().atZone(zone)) + " " + zone.getId() + " (" + UTC.format(next.get()) + "), " + count;
    }
  }

  /** "window store-nights (0 0 2 * * ?, 4h)". */
  public String heading() {
    return "window " + name + " (" + cron + ", " + dev.flotilla.fleet.Durations.format(duration) + ")";
  }
}
