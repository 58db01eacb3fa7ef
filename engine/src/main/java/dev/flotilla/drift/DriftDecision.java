package dev.flotilla.drift;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what a drift check means, given what was recorded before: the row to record (carrying
 * since when the site drifts and when it was healed), whether the site started drifting or came
 * back in sync (audited once, not on every check), and whether to re-apply its release. A site is
 * healed only when its app asks for it ({@code selfHeal}) and at most once per {@code interval},
 * so a controller that fights Flotilla for a field meets one re-apply per interval, not a loop.
 * Pure: no I/O, the time is the check's.
 */
public final class DriftDecision {
  private DriftDecision() {}

  /** A change worth one audit entry. */
  public enum Change { NONE, STARTED, CLEARED }

  /** What to record, what changed, and whether to heal. */
  public record Step(SiteDrift record, Change change, boolean heal) {}

  /**
   * @param before what the last check recorded for the site and app (any revision), if any
   * @param observed this check's finding, as {@link SiteDrift#observed} makes it
   */
  public static Step decide(Optional<SiteDrift> before, SiteDrift observed, boolean selfHeal, Duration interval) {
    // A check of another revision starts afresh: the drift of a release that was replaced is over.
    Optional<SiteDrift> same = before.filter(b -> b.revision().equals(observed.revision()));
    boolean wasDrifting = same.map(SiteDrift::drifting).orElse(false);
    Instant healedAt = same.map(SiteDrift::healedAt).orElse(null);
    if (!observed.drifting()) {
      SiteDrift record = observed.withDriftingSince(null).withHealedAt(healedAt);
      boolean cleared = wasDrifting || before.map(SiteDrift::drifting).orElse(false);
      return new Step(record, cleared ? Change.CLEARED : Change.NONE, false);
    }
    Instant since = wasDrifting ? same.get().driftingSince() : observed.checkedAt();
    Instant now = observed.checkedAt();
    boolean heal = selfHeal && (healedAt == null || !now.isBefore(healedAt.plus(interval)));
    SiteDrift record = observed.withDriftingSince(since).withHealedAt(heal ? now : healedAt);
    return new Step(record, wasDrifting ? Change.NONE : Change.STARTED, heal);
  }
}
