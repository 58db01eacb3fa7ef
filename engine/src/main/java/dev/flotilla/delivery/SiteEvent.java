package dev.flotilla.delivery;

import java.time.Instant;
import java.util.Comparator;

/**
 * Something a simulated site will do at {@code due}: apply the release it was given, or become
 * ready. {@code token} is unique and increasing; an event whose token is no longer the site's
 * current one (the release was superseded, the health was flipped) is stale and is dropped.
 */
sealed interface SiteEvent {
  Comparator<SiteEvent> BY_DUE = Comparator.comparing(SiteEvent::due).thenComparingLong(SiteEvent::token);

  String site();

  String app();

  long token();

  Instant due();

  record ApplyDue(String site, String app, long token, Instant due) implements SiteEvent {}

  record ReadyDue(String site, String app, long token, Instant due) implements SiteEvent {}
}
