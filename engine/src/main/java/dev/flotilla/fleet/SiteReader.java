package dev.flotilla.fleet;

import java.time.ZoneId;
import java.util.Map;

/** Reads one {@code kind: Site} document against the fleet's tiers. */
final class SiteReader {
  /** Substitution variables every site has, from its name and tier. */
  static final java.util.Set<String> BUILT_INS = java.util.Set.of("SITE_NAME", "SITE_TIER");

  /** tzdb's Etc/GMT+5 is a fixed offset too, and one whose sign is the opposite of what it reads. */

  private SiteReader() {}

  /** The zone of an IANA region ID such as Europe/Paris or UTC; null for anything else (see {@link RegionZones}). */
  static ZoneId regionZone(String id) {
    return RegionZones.of(id);
  }

  static Site read(Header h, Fleet fleet) {
    Fields spec = h.spec();
    String tierName = spec.string("tier", true);
    String deliveryText = spec.string("delivery", false);
    String tz = spec.string("timezone", true);
    Map<String, String> values = spec.stringMap("values");
    Fields clusterFields = spec.object("cluster", false);
    Cluster cluster = null;
    if (clusterFields.isPresent()) {
      boolean inCluster = clusterFields.bool("inCluster");
      if (inCluster) {
        if (clusterFields.has("kubeconfig") || clusterFields.has("context")) {
          clusterFields.problem("inCluster", "inCluster: true reaches the engine's own cluster with its service account; "
              + "it takes no kubeconfig or context");
        }
        clusterFields.string("kubeconfig", false);
        clusterFields.string("context", false);
        cluster = Cluster.IN_CLUSTER;
      } else {
        String kubeconfig = clusterFields.string("kubeconfig", true);
        String context = clusterFields.string("context", false);
        cluster = new Cluster(kubeconfig, context);
      }
      clusterFields.rejectUnknown("kubeconfig", "context", "inCluster");
    }
    spec.rejectUnknown("tier", "delivery", "timezone", "values", "cluster");

    values.keySet().stream().filter(k -> !Names.isVariableName(k)).forEach(k ->
        spec.problem("values", "'" + k + "' is not a substitution variable name ([_a-zA-Z][_a-zA-Z0-9]*)"));
    values.keySet().stream().filter(BUILT_INS::contains).forEach(k ->
        spec.problem("values", "'" + k + "' is a built-in (the site's own " + (k.equals("SITE_NAME") ? "name" : "tier")
            + ") and cannot be set per site"));
    Tier tier = null;
    if (tierName != null) {
      tier = fleet.tier(tierName).orElse(null);
      if (tier == null) {
        spec.problem("tier", "no tier named '" + tierName + "' in fleet.yaml (tiers: "
            + fleet.tiers().stream().map(Tier::name).toList() + ")");
      }
    }
    Delivery delivery = null;
    if (deliveryText != null) {
      try {
        delivery = Delivery.parse(deliveryText);
      } catch (IllegalArgumentException e) {
        spec.problem("delivery", e.getMessage());
        return null;
      }
    }
    ZoneId zone = null;
    if (tz != null) {
      zone = regionZone(tz);
      if (zone == null) {
        spec.problem("timezone", "'" + Names.shorten(tz) + "' " + RegionZones.EXPECTED);
      }
    }
    if (tier == null || zone == null) return null;
    Delivery effective = delivery != null ? delivery : tier.delivery();
    if (effective == Delivery.PUSH && cluster == null) {
      spec.problem("cluster", "a push site needs spec.cluster (kubeconfig and context, or inCluster: true) to be reached");
    }
    if (effective == Delivery.PULL && cluster != null) {
      spec.problem("cluster", "a pull site is not reached by the engine; remove spec.cluster or set delivery: push");
    }
    return new Site(h.name(), h.labels(), tier.name(), effective, zone, values, cluster);
  }
}
