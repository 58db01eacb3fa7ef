package dev.flotilla.delivery;

import dev.flotilla.drift.FieldDrift;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one {@link Delivery} the engine is given when sites of both modes exist: each release goes to
 * the adapter of its site's delivery mode ({@code spec.delivery}: {@code push} → {@code push},
 * {@code pull} → {@code pull}), and the sites' reports of both are merged. The two adapters must
 * report disjoint sites (a site has one mode); a site whose mode changed is answered by push first.
 *
 * <p>To plug the pull adapter in, build {@code new DeliveryRouter(push, pull)} in the wiring
 * ({@code cli.ServeCommand}); nothing else changes. Until it exists, {@code serve} passes the
 * simulator as {@code pull}.
 */
public final class DeliveryRouter implements Delivery {
  private final Delivery push;
  private final Delivery pull;

  public DeliveryRouter(Delivery push, Delivery pull) {
    this.push = Objects.requireNonNull(push, "push");
    this.pull = Objects.requireNonNull(pull, "pull");
  }

  /** The adapter that delivers to sites of {@code mode}. */
  public Delivery adapterFor(dev.flotilla.fleet.Delivery mode) {
    return switch (mode) {
      case PUSH -> push;
      case PULL -> pull;
    };
  }

  @Override
  public void deliver(SiteRelease release) throws DeliveryException {
    adapterFor(release.site().delivery()).deliver(release);
  }

  @Override
  public Optional<Map<String, List<FieldDrift>>> drift(SiteRelease release) throws DeliveryException {
    return adapterFor(release.site().delivery()).drift(release);
  }

  @Override
  public boolean readsDrift(dev.flotilla.fleet.Site site) {
    return adapterFor(site.delivery()).readsDrift(site);
  }

  @Override
  public Optional<SiteReport> status(String site, String app) {
    Optional<SiteReport> pushed = push.status(site, app);
    return pushed.isPresent() ? pushed : pull.status(site, app);
  }

  @Override
  public List<SiteReport> statuses(String app) {
    List<SiteReport> all = new ArrayList<>(push.statuses(app));
    all.addAll(pull.statuses(app));
    return all;
  }
}
