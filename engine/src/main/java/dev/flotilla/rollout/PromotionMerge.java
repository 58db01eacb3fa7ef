package dev.flotilla.rollout;

import dev.flotilla.fleet.PromotionFile;
import java.util.Optional;

/**
 * What a promotion file that reached the followed branch (its pull request was merged) means for
 * its rollout: approve the wave, nothing (it is approved already), or ignore the file with a note
 * for the audit log. A promotion file never stops a sync: one for an unknown rollout or wave, or for
 * a release that was superseded or ended, is only noted.
 */
public sealed interface PromotionMerge permits PromotionMerge.Approve, PromotionMerge.AlreadyApproved, PromotionMerge.Ignore {

  /** Approve {@code wave} of rollout {@code rolloutId}, as {@code rollout approve --wave} would. */
  record Approve(String rolloutId, String wave) implements PromotionMerge {}

  /** The wave was approved before (by a person, or by this file at an earlier sync). */
  record AlreadyApproved(String rolloutId, String wave, String by) implements PromotionMerge {}

  /** The file approves nothing; {@code why} goes to the audit log. */
  record Ignore(String why) implements PromotionMerge {}

  /** Decides for {@code file}, given its rollout as stored (empty: no such rollout). */
  public static PromotionMerge decide(PromotionFile file, Optional<Rollout> found) {
    String what = "promotion " + file.path();
    if (found.isEmpty()) return new Ignore(what + " names no known rollout (" + file.rollout() + "); ignored");
    Rollout r = found.get();
    if (!r.app().equals(file.app()) || !r.revision().equals(file.revision())) {
      return new Ignore(what + " is for " + file.app() + "@" + file.revision() + ", but rollout " + r.id() + " is "
          + r.app() + "@" + r.revision() + "; ignored");
    }
    int w = waveIndex(r, file.wave());
    if (w < 0) return new Ignore(what + ": rollout " + r.id() + " has no wave " + file.wave() + "; ignored");
    WaveProgress wp = r.wave(w);
    if (wp.approval() != null) return new AlreadyApproved(r.id(), file.wave(), wp.approval().actor());
    return switch (r.state()) {
      case SUPERSEDED, ABORTED, ROLLED_BACK, HALTED, COMPLETED ->
          new Ignore(what + ": rollout " + r.id() + " is " + r.state().name().toLowerCase() + "; nothing to approve");
      case HELD -> new Ignore(what + ": rollout " + r.id() + " is held (" + r.reason() + "); a person must approve it first");
      case QUEUED, RUNNING, PAUSED -> {
        if (!r.plan().wave(w).spec().gates().approval()) {
          yield new Ignore(what + ": wave " + file.wave() + " of rollout " + r.id() + " has no approval gate; ignored");
        }
        if (wp.phase() == WavePhase.PASSED) yield new AlreadyApproved(r.id(), file.wave(), wp.promotedBy());
        yield new Approve(r.id(), file.wave());
      }
    };
  }

  private static int waveIndex(Rollout r, String wave) {
    for (int i = 0; i < r.plan().waves().size(); i++) {
      if (r.plan().wave(i).name().equals(wave)) return i;
    }
    return -1;
  }
}
