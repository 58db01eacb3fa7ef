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
    return r.plan().wave(wave).siteNames().stream().filter(s -> r.site(s).status() == status).toList();
  }

  static List<String> unhealthy(Rollout r, int wave) {
    return sitesWith(r, wave, SiteStatus.DONE).stream().filter(s -> !Boolean.TRUE.equals(r.site(s).healthy())).toList();
  }

  /** At most this many of the wave's sites updating at once: maxUnavailable, rounded up, at least one. */
  static int maxUpdating(PlannedWave wave) {
    return Math.max(1, wave.spec().maxUnavailable().of(wave.sites().size()));
  }

  /** Pull sites that must acknowledge (done or failed) before the wave is updated. */
  static int requiredPullAcks(PlannedWave wave) {
    return Quantity.percentOf(wave.spec().completionPercent()).of(wave.pullSiteCount());
  }

  static int inFlight(Rollout r, int wave, java.time.Instant now) {
    PlannedWave w = r.plan().wave(wave);
    int updating = sitesWith(r, wave, SiteStatus.UPDATING).size();
    int silentPull = (int) w.sites().stream()
        .filter(s -> s.delivery() == Delivery.PULL && r.site(s.site()).silentSinceSent(now))
        .count();
    int mayStayBehind = w.pullSiteCount() - requiredPullAcks(w);
    return updating - Math.min(silentPull, mayStayBehind);
  }

  /** Every site sent, every push site confirmed or failed, and enough pull sites acknowledged. */
  static boolean updated(Rollout r, int wave) {
    PlannedWave w = r.plan().wave(wave);
    boolean allSent = w.sites().stream().allMatch(s -> r.site(s.site()).status().sent());
    boolean pushSettled = w.sites().stream()
        .noneMatch(s -> s.delivery() == Delivery.PUSH && r.site(s.site()).status() == SiteStatus.UPDATING);
    long pullAcks = w.sites().stream()
        .filter(s -> s.delivery() == Delivery.PULL)
        .map(s -> r.site(s.site()).status())
        .filter(st -> st == SiteStatus.DONE || st == SiteStatus.FAILED)
        .count();
    return allSent && pushSettled && pullAcks >= requiredPullAcks(w);
  }

  static int failureAllowance(PlannedWave wave) {
    return wave.spec().failureThreshold().of(wave.sites().size());
  }
}
