package dev.flotilla.render;

import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Site;
import java.time.ZoneId;
import java.util.Map;

/** Sites for render tests. */
final class Sites {
  private Sites() {}

  static Site site(String name, String tier, Map<String, String> values) {
    return new Site(name, Map.of(), tier, Delivery.PULL, ZoneId.of("Europe/Paris"), values, null);
  }

  static Site site(String name, String tier) {
    return site(name, tier, Map.of());
  }
}
