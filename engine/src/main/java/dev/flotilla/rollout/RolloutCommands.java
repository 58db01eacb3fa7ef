package dev.flotilla.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What people may do to a rollout (API, CLI, scheduled promotions): pause, resume, approve,
 * promote now, roll back, abort. A command that does not fit the rollout's state is rejected with
 * a reason and changes nothing, so repeating a command never does it twice.
 */
public final class RolloutCommands {

  private RolloutCommands() {}

  public static CommandResult pause(Rollout r, String actor, String comment, Instant now) {
    if (r.state() != RolloutState.RUNNING) return rejected(r, "only a running rollout can be paused");
    Rollout next = r.withState(RolloutState.PAUSED, "paused by " + actor + note(comment));
    return accepted(next, List.of(), event(r, now, actor, "paused", next.reason()));
  }

  public static CommandResult resume(Rollout r, String actor, String comment, Instant now) {
    if (r.state() != RolloutState.PAUSED) return rejected(r, "only a paused rollout can be resumed");
    return accepted(r.withState(RolloutState.RUNNING, ""), List.of(), event(r, now, actor, "resumed", "resumed by " + actor + note(comment)));
  }

  /**
   * Approves a wave's approval gate, ahead of time if need be; with no wave, the current wave, or
   * for a HELD rollout (a force push), releases it to the queue, where {@link Supersession} starts it.
   */
  public static CommandResult approve(Rollout r, String wave, String actor, String comment, Instant now) {
    Signoff signoff = new Signoff(actor, now, comment);
    return switch (r.state()) {
      case HELD -> {
        if (wave != null) yield rejected(r, "it is held (" + r.reason() + "); approve the rollout itself, with no wave");
        Rollout next = r.withState(RolloutState.QUEUED, "approved by " + actor + note(comment) + " (was held: " + r.reason() + ")");
        yield accepted(next, List.of(), event(r, now, actor, "approved", next.reason()));
      }
      case QUEUED, RUNNING, PAUSED -> approveWave(r, wave, signoff);
      case HALTED, COMPLETED, ROLLED_BACK, ABORTED, SUPERSEDED -> rejected(r, "there is nothing left to approve");
    };
  }

  private static CommandResult approveWave(Rollout r, String wave, Signoff signoff) {
    int w = wave == null ? r.currentWave() : waveIndex(r, wave);
    if (w < 0) return rejected(r, "it has no wave named " + wave + "; its waves are " + waveNames(r));
    PlannedWave pw = r.plan().wave(w);
    WaveProgress wp = r.wave(w);
    if (!pw.spec().gates().approval()) return rejected(r, "wave " + pw.name() + " has no approval gate");
    if (wp.phase() == WavePhase.PASSED) return rejected(r, "wave " + pw.name() + " already passed");
    if (wp.approval() != null) {
      return rejected(r, "wave " + pw.name() + " was already approved by " + wp.approval().actor() + " at " + wp.approval().at());
    }
    return accepted(r.withWave(w, wp.withApproval(signoff)), List.of(),
        event(r, signoff.at(), signoff.actor(), "approved", "wave " + pw.name() + " approved by " + signoff.actor() + note(signoff.comment())));
  }

  /**
   * Skips the gates of the current wave: it is promoted as soon as its sites are updated (at once
   * if they are), unless a freeze holds. This is what a scheduled promotion calls at its time.
   */
  public static CommandResult promoteNow(Rollout r, String actor, String comment, Instant now) {
    if (r.state() != RolloutState.RUNNING) return rejected(r, "only a running rollout can be promoted");
    int w = r.currentWave();
    PlannedWave pw = r.plan().wave(w);
    WaveProgress wp = r.wave(w);
    if (wp.phase() == WavePhase.PASSED) return rejected(r, "wave " + pw.name() + " already passed");
    if (wp.promoteNow() != null) {
      return rejected(r, "promotion of wave " + pw.name() + " was already asked for by " + wp.promoteNow().actor() + " at " + wp.promoteNow().at());
    }
    Rollout next = r.withWave(w, wp.withPromoteNow(new Signoff(actor, now, comment)));
    return accepted(next, List.of(), event(r, now, actor, "promote-now",
        "wave " + pw.name() + ": " + actor + " skips its gates" + note(comment)));
  }

  /** Starts a rollback of the sites that got the release, to its last good revision; the release is ROLLED_BACK. */
  public static CommandResult rollback(Rollout r, String actor, String comment, Instant now) {
    if (r.kind() != RolloutKind.RELEASE) return rejected(r, Rollbacks.whyNot(r));
    if (r.rollbackId() != null) return rejected(r, "it was already rolled back by rollout " + r.rollbackId());
    switch (r.state()) {
      case RUNNING, PAUSED, HALTED, COMPLETED -> {}
      case HELD, QUEUED -> {
        return rejected(r, "it never started; abort it instead");
      }
      case ROLLED_BACK, ABORTED, SUPERSEDED -> {
        return rejected(r, "it is over");
      }
    }
    String why = "rolled back by " + actor + note(comment);
    Optional<Rollout> rollback = Rollbacks.of(r, why, now);
    if (rollback.isEmpty()) return rejected(r, Rollbacks.whyNot(r));
    Rollout next = r.withState(RolloutState.ROLLED_BACK, why).withRollbackId(rollback.get().id());
    return new CommandResult.Accepted(next, List.of(new RolloutAction.StartRollback(rollback.get())), List.of(
        event(r, now, actor, "rolled-back", why).get(0),
        event(r, now, actor, "rollback-started", Rollbacks.describe(rollback.get())).get(0)));
  }

  /** Stops the rollout for good; sites keep what they run. */
  public static CommandResult abort(Rollout r, String actor, String comment, Instant now) {
    return switch (r.state()) {
      case HELD, QUEUED, RUNNING, PAUSED, HALTED -> {
        Rollout next = r.withState(RolloutState.ABORTED, "aborted by " + actor + note(comment));
        yield accepted(next, List.of(), event(r, now, actor, "aborted", next.reason()));
      }
      case COMPLETED, ROLLED_BACK, ABORTED, SUPERSEDED -> rejected(r, "it is over");
    };
  }

  private static int waveIndex(Rollout r, String wave) {
    for (int i = 0; i < r.plan().waves().size(); i++) {
      if (r.plan().wave(i).name().equals(wave)) return i;
    }
    return -1;
  }

  private static List<String> waveNames(Rollout r) {
    return r.plan().waves().stream().map(PlannedWave::name).toList();
  }

  private static String note(String comment) {
    return comment == null || comment.isBlank() ? "" : ": " + comment;
  }

  private static CommandResult rejected(Rollout r, String why) {
    return new CommandResult.Rejected("rollout " + r.id() + " is " + r.state() + ": " + why);
  }

  private static CommandResult accepted(Rollout next, List<RolloutAction> actions, List<AuditEvent> events) {
    return new CommandResult.Accepted(next, actions, events);
  }

  private static List<AuditEvent> event(Rollout r, Instant now, String actor, String kind, String message) {
    return List.of(new AuditEvent(now, actor, r.id(), kind, message));
  }
}
