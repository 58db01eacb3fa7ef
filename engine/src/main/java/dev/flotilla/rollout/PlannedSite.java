package dev.flotilla.rollout;

import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Site;
import java.time.ZoneId;
import java.util.Objects;

/** A site as a rollout plan froze it: its name, how it receives releases, and its time zone. */
public record PlannedSite(String site, Delivery delivery, ZoneId timezone) {
  public PlannedSite {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(timezone, "timezone");
  }

  public static PlannedSite of(Site site) {
    return new PlannedSite(site.name(), site.delivery(), site.timezone());
  }
}
