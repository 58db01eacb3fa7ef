package dev.flotilla.engine.port;

import java.time.Instant;

/** The webhook deliveries already received, so that each is acted on once across restarts and replicas. */
public interface WebhookDeliveries {
  /** Records the delivery; true the first time it is seen, false when it was recorded before (a replay). */
  boolean firstSeen(String provider, String deliveryId, String event, Instant at) throws StoreException;

  /** Forgets deliveries received before {@code before}; returns how many. */
  int forgetBefore(Instant before) throws StoreException;
}
