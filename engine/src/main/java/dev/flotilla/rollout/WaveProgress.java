package dev.flotilla.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * One wave's progress. {@code updatedAt}: when its sites were updated and its gates began;
 * {@code healthySince}: start of the current run of continuous health (soak), null while a done
 * site is unhealthy; {@code promoteNow}: a person asked to skip the gates; {@code promotedBy}:
 * "gates" or the person who skipped them.
 */
public record WaveProgress(
    WavePhase phase,
    Instant startedAt,
    Instant updatedAt,
    Instant passedAt,
    Instant healthySince,
    Signoff approval,
    Signoff promoteNow,
    String promotedBy) {

  public static final WaveProgress PENDING = new WaveProgress(WavePhase.PENDING, null, null, null, null, null, null, null);

  public WaveProgress {
    Objects.requireNonNull(phase, "phase");
  }

  WaveProgress started(Instant at) {
    return new WaveProgress(WavePhase.UPDATING, at, null, null, null, approval, promoteNow, null);
  }

  WaveProgress updated(Instant at) {
    return new WaveProgress(WavePhase.GATED, startedAt, at, null, healthySince, approval, promoteNow, null);
  }

  WaveProgress passed(Instant at, String by) {
    return new WaveProgress(WavePhase.PASSED, startedAt, updatedAt, at, healthySince, approval, promoteNow, by);
  }

  WaveProgress withHealthySince(Instant at) {
    return new WaveProgress(phase, startedAt, updatedAt, passedAt, at, approval, promoteNow, promotedBy);
  }

  WaveProgress withApproval(Signoff signoff) {
    return new WaveProgress(phase, startedAt, updatedAt, passedAt, healthySince, signoff, promoteNow, promotedBy);
  }

  WaveProgress withPromoteNow(Signoff signoff) {
    return new WaveProgress(phase, startedAt, updatedAt, passedAt, healthySince, approval, signoff, promotedBy);
  }

  /** Whether the rollout has promoted to this wave: its sites may receive the release. */
  public boolean promoted() {
    return phase != WavePhase.PENDING;
  }
}
