package dev.flotilla.testing;

import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Site;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Pull sites and releases of a one-ConfigMap app, for pull-delivery tests. */
public final class PullReleases {
  private PullReleases() {}

  public static Site pullSite(String name) {
    return new Site(name, Map.of(), "edge", Delivery.PULL, ZoneId.of("UTC"), Map.of(), null);
  }

  /** A release of {@code app} at {@code revision}: one ConfigMap in namespace {@code shop} whose data names the revision. */
  public static SiteRelease release(String site, String app, String revision) {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + app + "-config\n  namespace: shop\ndata:\n  REVISION: \""
        + revision + "\"\n";
    Manifest m = new Manifest("ConfigMap", "shop", app + "-config", yaml);
    return new SiteRelease(pullSite(site), app, revision, "rollout-" + app + "-" + revision,
        new DesiredState(site, app, revision, List.of(m)));
  }
}
