package dev.flotilla.delivery.push;

import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.drift.FieldDrift;
import dev.flotilla.fleet.Site;
import dev.flotilla.health.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push adapter of the {@link Delivery} port: applies a release's rendered objects to the site's
 * cluster ({@link KubernetesApplier}, through the site's client from {@link SiteClients}) and reports
 * the health of the objects it applied.
 *
 * <p>Health is polled on demand, never watched: {@link #statuses} answers from what it knows and
 * hands the sites whose answer is older than {@code healthTtl} to {@code polls} (a small bounded
 * executor), one poll per site and app at a time, each one GET per applied object. Right after an
 * apply the delivering thread reads the health once, so a report exists as soon as the release is
 * applied. Only sites this adapter delivered to since it started are polled.
 *
 * <p>Failures: an unreachable site (or one that does not answer, or a CRD that is not established
 * in time) throws a retryable {@link DeliveryException}; the workers retry with backoff, and the
 * wave's progress deadline fails the site. A site that refuses the release (the API server rejects
 * an object, a field-manager conflict, an empty render, a bad kubeconfig) throws a non-retryable one
 * with the API server's words, and the site reports {@link Health#FAILED} with that message.
 */
public final class PushDelivery implements Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(PushDelivery.class);

  private final SiteClients clients;
  private final Clock clock;
  private final Duration healthTtl;
  private final Executor polls;
  private final Pause pause;
  private final Duration crdPollInterval;
  private final DeliveredSites delivered;
  /**
   * One lock per site and app for what writes a blue/green state: a delivery holds it through its
   * apply; a health poll or a drift check that finds it held leaves the switch or scale-down to the
   * next reading, so it never switches on a state a delivery is replacing.
   */
  private final Map<String, java.util.concurrent.locks.ReentrantLock> siteAppLocks = new ConcurrentHashMap<>();
  /** app → site → what was last delivered there and what it last reported. */
  private final Map<String, Map<String, Target>> targets = new ConcurrentHashMap<>();

  /**
   * One site of one app: the site as last delivered to, its newest report, when it was last read,
   * whether a poll is under way, and whether the last delivery was refused (then there is nothing to
   * poll until the next one). Immutable; replaced as a whole.
   */
  private record Target(Site site, SiteReport report, Instant polledAt, boolean polling, boolean refused) {
    Target polling(boolean now) {
      return new Target(site, report, polledAt, now, refused);
    }
  }

  public PushDelivery(SiteClients clients, Clock clock, Duration healthTtl, Executor polls, Pause pause, Duration crdPollInterval) {
    this(clients, clock, healthTtl, polls, pause, crdPollInterval, null);
  }

  /**
   * As above, remembering the sites delivered to in {@code delivered} (a file, one JSON line per
   * delivery; null for none): after a restart, those sites are polled again.
   */
  public PushDelivery(SiteClients clients, Clock clock, Duration healthTtl, Executor polls, Pause pause, Duration crdPollInterval,
      java.nio.file.Path delivered) {
    this.delivered = delivered == null ? null : new DeliveredSites(delivered);
    if (this.delivered != null) {
      for (DeliveredSites.Line l : this.delivered.read()) {
        // Instant.EPOCH: read again at the first chance.
        targets.computeIfAbsent(l.app(), a -> new ConcurrentHashMap<>())
            .put(l.site(), new Target(l.toSite(), l.report(), Instant.EPOCH, false, l.refused()));
      }
    }
    this.clients = Objects.requireNonNull(clients, "clients");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.healthTtl = Objects.requireNonNull(healthTtl, "healthTtl");
    this.polls = Objects.requireNonNull(polls, "polls");
    this.pause = Objects.requireNonNull(pause, "pause");
    this.crdPollInterval = Objects.requireNonNull(crdPollInterval, "crdPollInterval");
  }

  @Override
  public void deliver(SiteRelease release) throws DeliveryException {
    Site site = release.site();
    List<Map<String, Object>> objects;
    try {
      objects = RenderedObjects.of(release.desired());
    } catch (ManifestException e) {
      throw refused(release, e.getMessage(), e);
    }
    try (SiteClients.Lease lease = clients.lease(site.name(), site.cluster())) {
      KubernetesApplier applier = applier(site.name(), lease);
      ApplySettings settings = ApplySettings.of(release.apply());
      ApplyResult result;
      Verdict health;
      if (settings.blueGreen() == null) {
        result = applier.apply(release.app(), objects, settings);
        health = readHealth(applier, result.applied());
      } else {
        BlueGreenApplier blueGreen = new BlueGreenApplier(site.name(), applier);
        var lock = lock(site.name(), release.app());
        lock.lock();
        try {
          result = blueGreen.apply(release.app(), release.revision(), objects, settings, settings.blueGreen(), clock.instant());
          health = readProgress(blueGreen, release.app());
        } finally {
          lock.unlock();
        }
      }
      remember(release.app(), site, report(release, health), false);
      LOG.info("site {}: {} applied ({} objects, {} pruned): {}", site.name(), release.name(), result.applied().size(),
          result.pruned().size(), health.status());
    } catch (ApplyException e) {
      if (e.retryable()) {
        throw new DeliveryException(site.name(), release.app(), release.revision(), e.getMessage(), e, true);
      }
      throw refused(release, e.getMessage(), e);
    }
  }

  /**
   * Reads each rendered object of the release once and compares it with {@link
   * KubernetesApplier#drift} (ignored fields left out, as in the apply). An unreachable site is a
   * retryable {@link DeliveryException}: the caller concludes nothing from it.
   */
  @Override
  public Optional<Map<String, List<FieldDrift>>> drift(SiteRelease release) throws DeliveryException {
    Site site = release.site();
    List<Map<String, Object>> objects;
    try {
      objects = RenderedObjects.of(release.desired());
    } catch (ManifestException e) {
      throw new DeliveryException(site.name(), release.app(), release.revision(), e.getMessage(), e, false);
    }
    try (SiteClients.Lease lease = clients.lease(site.name(), site.cluster())) {
      ApplySettings settings = ApplySettings.of(release.apply());
      Map<ObjectRef, List<FieldDrift>> drifted;
      if (settings.blueGreen() == null) {
        drifted = applier(site.name(), lease).drift(objects, settings);
      } else {
        BlueGreenApplier blueGreen = new BlueGreenApplier(site.name(), applier(site.name(), lease));
        // The drift job also reaches sites whose rollout ended: a switch or scale-down due is carried out here.
        var lock = lock(site.name(), release.app());
        if (lock.tryLock()) {
          try {
            blueGreen.progress(release.app(), clock.instant());
          } finally {
            lock.unlock();
          }
        }
        drifted = blueGreen.drift(release.app(), release.revision(), objects, settings);
      }
      Map<String, List<FieldDrift>> byId = new java.util.LinkedHashMap<>();
      drifted.forEach((ref, fields) -> byId.put(ref.id(), fields));
      return Optional.of(byId);
    } catch (ApplyException e) {
      throw new DeliveryException(site.name(), release.app(), release.revision(), e.getMessage(), e, e.retryable());
    }
  }

  @Override
  public boolean readsDrift(Site site) {
    return true;
  }

  /** The health right after an apply; a site that stops answering between the two shows progressing until polled. */
  private static Verdict readHealth(KubernetesApplier applier, List<ObjectRef> applied) {
    try {
      return applier.health(applied);
    } catch (ApplyException e) {
      return Verdict.progressing("applied; health not read yet: " + e.getMessage());
    }
  }

  /** As {@link #readHealth}, for a blue/green app: a new copy already healthy is switched to at once. */
  private Verdict readProgress(BlueGreenApplier applier, String app) {
    try {
      return applier.progress(app, clock.instant());
    } catch (ApplyException e) {
      return Verdict.progressing("applied; health not read yet: " + e.getMessage());
    }
  }

  private DeliveryException refused(SiteRelease release, String why, Exception cause) {
    remember(release.app(), release.site(), new SiteReport(release.site().name(), release.app(), release.revision(), Health.FAILED,
        true, clock.instant(), why), true);
    return new DeliveryException(release.site().name(), release.app(), release.revision(), why, cause, false);
  }

  private SiteReport report(SiteRelease release, Verdict health) {
    return new SiteReport(release.site().name(), release.app(), release.revision(), health(health), true, clock.instant(),
        health.reason());
  }

  private void remember(String app, Site site, SiteReport report, boolean refused) {
    if (delivered != null) delivered.append(DeliveredSites.Line.of(site, report, refused));
    targets.computeIfAbsent(app, a -> new ConcurrentHashMap<>())
        .put(site.name(), new Target(site, report, clock.instant(), false, refused));
  }

  @Override
  public Optional<SiteReport> status(String site, String app) {
    Target t = targets.getOrDefault(app, Map.of()).get(site);
    if (t == null) return Optional.empty();
    pollIfDue(app, t);
    return Optional.of(targets.get(app).get(site).report());
  }

  @Override
  public List<SiteReport> statuses(String app) {
    Map<String, Target> sites = targets.getOrDefault(app, Map.of());
    for (Target t : List.copyOf(sites.values())) pollIfDue(app, t);
    List<SiteReport> out = new ArrayList<>(sites.size());
    sites.values().forEach(t -> out.add(t.report()));
    return out;
  }

  /**
   * Hands the site to the poll executor when its report is older than the TTL and no poll of it is
   * under way. A failed apply is not polled: its report stands until the next delivery.
   */
  private void pollIfDue(String app, Target seen) {
    if (seen.polling() || seen.refused()) return;
    if (clock.instant().isBefore(seen.polledAt().plus(healthTtl))) return;
    Map<String, Target> sites = targets.get(app);
    String site = seen.site().name();
    if (!sites.replace(site, seen, seen.polling(true))) return; // someone else started it, or a delivery replaced it
    try {
      polls.execute(() -> poll(app, site));
    } catch (RejectedExecutionException e) {
      sites.computeIfPresent(site, (k, t) -> t.polling(false));
    }
  }

  private void poll(String app, String siteName) {
    Target t = targets.get(app).get(siteName);
    if (t == null) return;
    SiteReport before = t.report();
    SiteReport now = before;
    try (SiteClients.Lease lease = clients.lease(siteName, t.site().cluster())) {
      // For a blue/green app this also switches to a new copy found healthy and deletes an old copy
      // past its delay; for an app applied in place it is the plain health reading.
      // A delivery under way holds the lock: this reading is skipped, and its report replaces this one.
      var lock = lock(siteName, app);
      if (lock.tryLock()) {
        Verdict v;
        try {
          v = new BlueGreenApplier(siteName, applier(siteName, lease)).progress(app, clock.instant());
        } finally {
          lock.unlock();
        }
        Health health = health(v);
        if (health != before.health() || !v.reason().equals(before.message())) {
          now = new SiteReport(siteName, app, before.revision(), health, true, clock.instant(), v.reason());
        }
      }
    } catch (ApplyException | RuntimeException e) {
      LOG.debug("site {}: health of {} not read: {}", siteName, app, e.getMessage());
    }
    SiteReport next = now;
    Instant at = clock.instant();
    // A delivery that happened meanwhile wrote a newer target: leave it as it is.
    targets.get(app).computeIfPresent(siteName, (k, cur) -> cur.report() == before
        ? new Target(cur.site(), next, at, false, false) : cur.polling(false));
  }

  private java.util.concurrent.locks.ReentrantLock lock(String site, String app) {
    return siteAppLocks.computeIfAbsent(site + "/" + app, k -> new java.util.concurrent.locks.ReentrantLock());
  }

  private KubernetesApplier applier(String site, SiteClients.Lease lease) {
    return new KubernetesApplier(site, lease.client(), KubernetesApplier.DEFAULT_INVENTORY_NAMESPACE, pause, crdPollInterval);
  }

  private static Health health(Verdict v) {
    return switch (v.status()) {
      case HEALTHY -> Health.HEALTHY;
      case PROGRESSING -> Health.PROGRESSING;
      case DEGRADED -> Health.DEGRADED;
      case FAILED -> Health.FAILED;
    };
  }
}
