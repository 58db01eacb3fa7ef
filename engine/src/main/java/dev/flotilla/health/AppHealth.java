package dev.flotilla.health;

import java.util.Map;

/** The health of one app at one site: the worst verdict of its objects, naming the object. */
public final class AppHealth {
  private AppHealth() {}

  /**
   * The worst of the verdicts, keyed by object id ({@code Kind/namespace/name}), with the id in front
   * of the reason; among equally bad objects the first in the map's order wins. An app without
   * objects is healthy (nothing to wait for).
   */
  public static Verdict of(Map<String, Verdict> byObject) {
    Verdict worst = null;
    String worstId = null;
    for (var e : byObject.entrySet()) {
      if (worst == null || e.getValue().status().worseThan(worst.status())) {
        worst = e.getValue();
        worstId = e.getKey();
      }
    }
    if (worst == null) return Verdict.healthy("no objects");
    if (worst.status() == HealthStatus.HEALTHY) return Verdict.healthy(byObject.size() + " objects healthy");
    return worst.about(worstId);
  }
}
