package dev.flotilla.rollout;

import java.util.List;
import java.util.Optional;

/**
 * Which revision of an app a site should run: the newest revision whose rollout has promoted the
 * site's wave. It is what a pull site gets when it reconnects, in one step, and the ceiling no
 * delivery may exceed (no leapfrog). Held, queued, cancelled rollouts and releases that halted
 * count for nothing: they must not spread; a rollback counts, being the newest word.
 */
public final class DesiredRevision {

  private DesiredRevision() {}

  public static Optional<String> of(String site, List<Rollout> appRollouts) {
    return appRollouts.stream()
        .filter(DesiredRevision::counts)
        .filter(r -> promotedTo(r, site))
        .max(Supersession.NEWER_LAST)
        .map(Rollout::revision);
  }

  private static boolean counts(Rollout r) {
    return switch (r.state()) {
      case RUNNING, PAUSED, COMPLETED -> true;
      case SUPERSEDED -> r.haltedAt() == null;
      case HELD, QUEUED, HALTED, ROLLED_BACK, ABORTED -> false;
    };
  }

  private static boolean promotedTo(Rollout r, String site) {
    int w = r.plan().waveIndex(site);
    return w >= 0 && w <= r.currentWave() && r.wave(w).promoted();
  }

}
