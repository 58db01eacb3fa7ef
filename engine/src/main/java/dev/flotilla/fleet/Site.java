package dev.flotilla.fleet;

import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * One Kubernetes cluster at one place. {@code delivery} is the effective mode (the site's own, or
 * its tier's default); {@code values} feed {@code ${NAME}} substitution in rendered manifests.
 */
public record Site(
    String name,
    Map<String, String> labels,
    String tier,
    Delivery delivery,
    ZoneId timezone,
    Map<String, String> values,
    Cluster cluster) {

  public Site {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(timezone, "timezone");
    labels = Map.copyOf(labels == null ? Map.of() : labels);
    values = Map.copyOf(values == null ? Map.of() : values);
  }

  /** A label as selectors see it: the site's own labels plus the built-in {@code flotilla.dev/site}, {@code /tier} and {@code /delivery}. */
  public String selectableLabel(String key) {
    return switch (key) {
      case "flotilla.dev/site" -> name;
      case "flotilla.dev/tier" -> tier;
      case "flotilla.dev/delivery" -> delivery.word();
      default -> labels.get(key);
    };
  }
}
