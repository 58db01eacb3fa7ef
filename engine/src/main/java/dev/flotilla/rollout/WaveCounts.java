package dev.flotilla.rollout;

import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Quantity;
import java.util.List;

/**
 * Counting a wave's sites: how many may update at once, how many are in flight, how many pull
 * sites must acknowledge. Pull sites that the completion threshold lets stay behind do not count
 * as in flight while they are silent, so an offline pull site never holds a batch slot forever.
 */
final class WaveCounts {

  private WaveCounts() {}

  static List<String> sitesWith(Rollout r, int wave, SiteStatus status) {
    if (r.tally().count(wave, status) == 0) return List.of();
    return r.plan().wave(wave).siteNames().stream().filter(s -> r.site(s).status() == status).toList();
  }

  static int count(Rollout r, int wave, SiteStatus status) {
    return r.tally().count(wave, status);
  }

  static List<String> unhealthy(Rollout r, int wave) {
    if (r.tally().doneUnhealthy(wave) == 0) return List.of();
    return sitesWith(r, wave, SiteStatus.DONE).stream().filter(s -> !Boolean.TRUE.equals(r.site(s).healthy())).toList();
  }

  /** At most this many of the wave's sites updating at once: maxUnavailable, rounded up, at least one. */
  static int maxUpdating(PlannedWave wave) {
    return Math.max(1, wave.spec().maxUnavailable().of(wave.sites().size()));
  }

  /** Pull sites that must acknowledge (done or failed) before the wave is updated. */
  static int requiredPullAcks(Rollout r, int wave) {
    return Quantity.percentOf(r.plan().wave(wave).spec().completionPercent()).of(r.tally().pullSites(wave));
  }

  static int inFlight(Rollout r, int wave, java.time.Instant now) {
    WaveTally tally = r.tally();
    int updating = tally.count(wave, SiteStatus.UPDATING);
    if (tally.count(wave, SiteStatus.UPDATING, Delivery.PULL) == 0) return updating;
    int silentPull = (int) r.plan().wave(wave).sites().stream()
        .filter(s -> s.delivery() == Delivery.PULL && r.site(s.site()).silentSinceSent(now))
        .count();
    int mayStayBehind = tally.pullSites(wave) - requiredPullAcks(r, wave);
    return updating - Math.min(silentPull, mayStayBehind);
  }

  /** Every site sent, every push site confirmed or failed, and enough pull sites acknowledged. */
  static boolean updated(Rollout r, int wave) {
    WaveTally tally = r.tally();
    boolean allSent = tally.count(wave, SiteStatus.PENDING) == 0;
    boolean pushSettled = tally.count(wave, SiteStatus.UPDATING, Delivery.PUSH) == 0;
    int pullAcks = tally.count(wave, SiteStatus.DONE, Delivery.PULL) + tally.count(wave, SiteStatus.FAILED, Delivery.PULL);
    return allSent && pushSettled && pullAcks >= requiredPullAcks(r, wave);
  }

  static int failureAllowance(PlannedWave wave) {
    return wave.spec().failureThreshold().of(wave.sites().size());
  }
}
