package dev.flotilla.fleet;

import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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

  /** Labels plus the built-in ones that selectors may use: site name, tier and delivery mode. */
  public Map<String, String> selectableLabels() {
    Map<String, String> all = new TreeMap<>(labels);
    all.put("flotilla.dev/site", name);
    all.put("flotilla.dev/tier", tier);
    all.put("flotilla.dev/delivery", delivery.word());
    return all;
  }

  /** One of {@link #selectableLabels()}, without building the map. */
  public String selectableLabel(String key) {
    return switch (key) {
      case "flotilla.dev/site" -> name;
      case "flotilla.dev/tier" -> tier;
      case "flotilla.dev/delivery" -> delivery.word();
      default -> labels.get(key);
    };
  }

  public Site withLabels(Map<String, String> newLabels) {
    return new Site(name, newLabels, tier, delivery, timezone, values, cluster);
  }

  public Site withValues(Map<String, String> newValues) {
    return new Site(name, labels, tier, delivery, timezone, newValues, cluster);
  }
}
