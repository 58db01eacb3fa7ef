package dev.flotilla.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery the rollout state machine decided (deliver {@code revision} of {@code app} to {@code
 * site}, as part of wave {@code wave} of rollout {@code rolloutId}), kept in the outbox until a
 * delivery worker carried it out. {@code idempotencyKey} is unique per release, wave and site, so
 * a decision stored twice is one intent.
 */
public record DeliveryIntent(
    String idempotencyKey, String rolloutId, String wave, String site, String app, String revision, String delivery, int attempts,
    Instant nextAttemptAt, String leaseOwner) {
  public DeliveryIntent {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(wave, "wave");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(delivery, "delivery");
  }

  public static String key(String rolloutId, String wave, String site) {
    return rolloutId + "/" + wave + "/" + site;
  }

  public static DeliveryIntent decided(String rolloutId, String wave, String site, String app, String revision, String delivery,
      Instant at) {
    return new DeliveryIntent(key(rolloutId, wave, site), rolloutId, wave, site, app, revision, delivery, 0, at, null);
  }
}
