package dev.flotilla.provider.github;

import java.util.List;

/** What became of one webhook delivery; the HTTP route turns it into a status code. */
public sealed interface WebhookOutcome {
  /** Signed and new: the work it asks for is queued ({@code queued} may be empty: an event that asks for nothing). */
  record Accepted(String deliveryId, String event, List<String> queued) implements WebhookOutcome {}

  /** Signed, but received before: answered, not acted on again. */
  record Replayed(String deliveryId) implements WebhookOutcome {}

  /** Unsigned or wrongly signed: nothing recorded, nothing queued. */
  record Unauthorized(String reason) implements WebhookOutcome {}

  /** Signed, but not a delivery Flotilla can read (no delivery id, not JSON). */
  record Invalid(String reason) implements WebhookOutcome {}
}
