package dev.flotilla.delivery;

import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Site;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Sites and releases for delivery tests. */
final class Releases {
  private Releases() {}

  static Site pushSite(String name) {
    return new Site(name, Map.of(), "datacenter", Delivery.PUSH, ZoneId.of("UTC"), Map.of(), null);
  }

  static Site pullSite(String name) {
    return new Site(name, Map.of(), "edge", Delivery.PULL, ZoneId.of("UTC"), Map.of(), null);
  }

  /** A release of {@code app} whose one Deployment runs {@code image}. */
  static SiteRelease release(Site site, String app, String revision, String image) {
    String yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: shop
        spec:
          template:
            spec:
              containers:
                - name: %s
                  image: %s
        """.formatted(app, app, image);
    Manifest deployment = new Manifest("Deployment", "shop", app, yaml);
    return new SiteRelease(site, app, revision, "rollout-" + app + "-" + revision,
        new DesiredState(site.name(), app, revision, List.of(deployment)));
  }

  static SiteRelease release(Site site, String app, String revision) {
    return release(site, app, revision, "registry.example/" + app + ":" + revision);
  }
}
