package dev.flotilla.delivery;

import dev.flotilla.drift.FieldDrift;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivery of a release to a site: push sites get it applied, pull sites get it published for
 * their agent. The rollout engine sees this port only; adapters say how ({@link SimulatedDelivery},
 * and later the Kubernetes push and bundle pull adapters).
 */
public interface Delivery {

  /**
   * Sends (push) or publishes (pull) the release. Idempotent: delivering the revision a site
   * already has (running, or given and not yet applied) changes nothing.
   *
   * @throws DeliveryException when the release cannot be handed over, e.g. a push site is
   *     unreachable; a pull site that is offline is not an error (the release waits for it)
   */
  void deliver(SiteRelease release) throws DeliveryException;

  /** The latest status the site reported for the app, if any. */
  Optional<SiteReport> status(String site, String app);

  /**
   * The latest status of every site that reported for the app, in no particular order. One call
   * per wave check instead of one per site: adapters backed by a database or an API answer it
   * with one query, which matters at 10,000 sites.
   */
  List<SiteReport> statuses(String app);

  /**
   * Where the site's cluster has drifted from the release as rendered for it, on the fields
   * Flotilla applies: each drifted object ({@code Kind/namespace/name}) with its fields, empty when
   * it is in sync. Reads only; never applies. Answered by adapters that can read a site's cluster
   * (push); the others return {@link Optional#empty()}: not checked.
   *
   * @throws DeliveryException when the site cannot be read now (retryable: nothing is concluded),
   *     or refuses to be read
   */
  default Optional<Map<String, List<FieldDrift>>> drift(SiteRelease release) throws DeliveryException {
    return Optional.empty();
  }

  /** Whether {@link #drift} reads the site's cluster; asked first, so nothing is rendered for a site that is not checked. */
  default boolean readsDrift(dev.flotilla.fleet.Site site) {
    return false;
  }
}
