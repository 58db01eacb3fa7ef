package dev.flotilla.fleet;

import java.util.List;
import java.util.Map;

/**
 * Chooses sites. Every given term must hold (an empty selector matches every site). {@code
 * percent}, when set, keeps a deterministic share of the sites the other terms match; it is
 * applied by {@link WavePlanner}, which sees the whole candidate set, not by {@link #matches}.
 */
public record SiteSelector(
    List<String> tiers,
    List<String> names,
    Map<String, String> matchLabels,
    List<LabelRequirement> matchExpressions,
    Integer percent) {

  public static final SiteSelector ALL = new SiteSelector(List.of(), List.of(), Map.of(), List.of(), null);

  public SiteSelector {
    tiers = List.copyOf(tiers == null ? List.of() : tiers);
    names = List.copyOf(names == null ? List.of() : names);
    matchLabels = Map.copyOf(matchLabels == null ? Map.of() : matchLabels);
    matchExpressions = List.copyOf(matchExpressions == null ? List.of() : matchExpressions);
    if (percent != null && (percent < 1 || percent > 100)) {
      throw new IllegalArgumentException("percent must be 1..100, got " + percent);
    }
  }

  /** Whether the site matches every term but {@code percent}. */
  public boolean matches(Site site) {
    if (!tiers.isEmpty() && !tiers.contains(site.tier())) return false;
    if (!names.isEmpty() && !names.contains(site.name())) return false;
    if (matchLabels.isEmpty() && matchExpressions.isEmpty()) return true;
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(site.selectableLabel(e.getKey()))) return false;
    }
    for (LabelRequirement r : matchExpressions) {
      if (!r.matchesValue(site.selectableLabel(r.key()))) return false;
    }
    return true;
  }
}
