package dev.flotilla.rollout;

import dev.flotilla.fleet.PromotionFile;
import java.util.Optional;

/**
 * Which promotion pull request a rollout needs: the core's decision that an adapter carries out
 * (push a branch with the promotion file, open the pull request). A release rollout needs one while
 * it runs (or is paused) at a wave whose sites are updated, whose gates include {@code approval:
 * pull-request}, and that nobody approved or promoted yet. The file's content depends only on the
 * rollout's stored state ({@code requestedAt} is when the wave's gates began), so a retry or a
 * restart asks for the very same file.
 */
public final class PromotionRequests {
  private PromotionRequests() {}

  public static Optional<PromotionFile> due(Rollout r) {
    if (r.kind() != RolloutKind.RELEASE) return Optional.empty();
    if (r.state() != RolloutState.RUNNING && r.state() != RolloutState.PAUSED) return Optional.empty();
    WaveProgress wp = r.wave(r.currentWave());
    PlannedWave pw = r.plan().wave(r.currentWave());
    if (!pw.spec().gates().approvalByPullRequest()) return Optional.empty();
    if (wp.phase() != WavePhase.GATED || wp.updatedAt() == null) return Optional.empty();
    if (wp.approval() != null || wp.promoteNow() != null) return Optional.empty();
    return Optional.of(new PromotionFile(r.app(), r.id(), r.revision(), pw.name(), pw.siteNames(), wp.updatedAt()));
  }
}
