package dev.flotilla.rollout;

import dev.flotilla.fleet.Gates;
import dev.flotilla.fleet.Quantity;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.WaveSpec;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;

/**
 * Shapes the rollback of a release: a ROLLBACK rollout, RUNNING at once, of exactly the sites that
 * got the release, to its last good revision. It keeps the release's wave order and batch sizes
 * (a rollback must not take down more sites at once than the release did) but has no gates, since
 * waiting for approval or soak would leave the broken release in place, and tolerates every
 * failure, since each site that goes back is better off on its own.
 */
final class Rollbacks {

  private Rollbacks() {}

  static Optional<Rollout> of(Rollout release, String why, Instant now) {
    var got = new HashSet<>(release.sitesThatGotIt());
    if (got.isEmpty() || release.lastGoodRevision() == null || release.kind() != RolloutKind.RELEASE) return Optional.empty();
    RolloutPlan plan = release.plan().restrictedTo(got, Rollbacks::ungated, OnFailure.HALT);
    return Optional.of(Rollout.fresh(
        idFor(release), release.app(), release.lastGoodRevision(), null, RolloutKind.ROLLBACK, RolloutState.RUNNING, why, plan, now));
  }

  /** Derived from the release's id, so that a repeated rollback is a duplicate, not a second rollout. */
  static String idFor(Rollout release) {
    return release.id() + "-rollback";
  }

  static String whyNot(Rollout release) {
    if (release.kind() != RolloutKind.RELEASE) return "a rollback is not rolled back; release a fix instead";
    if (release.lastGoodRevision() == null) return "no last good revision of " + release.app() + " to roll back to";
    return "no site got " + release.revision() + "; nothing to roll back";
  }

  static String describe(Rollout rollback) {
    return "rollback " + rollback.id() + " takes " + rollback.plan().siteNames().size() + " site(s) back to " + rollback.revision();
  }

  private static WaveSpec ungated(WaveSpec spec) {
    return new WaveSpec(spec.name(), spec.selector(), spec.maxUnavailable(), Gates.NONE, Quantity.percentOf(100), spec.completionPercent(),
        spec.progressDeadline());
  }
}
