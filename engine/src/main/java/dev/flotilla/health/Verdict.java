package dev.flotilla.health;

import java.util.Objects;

/**
 * The health of one object or one app at one site, with the reason a person reads first ({@code 2 of 3
 * replicas updated}, {@code Deployment/shop/web: progress deadline exceeded}).
 */
public record Verdict(HealthStatus status, String reason) {
  public Verdict {
    Objects.requireNonNull(status, "status");
    reason = reason == null ? "" : reason;
  }

  public static Verdict healthy(String reason) {
    return new Verdict(HealthStatus.HEALTHY, reason);
  }

  public static Verdict progressing(String reason) {
    return new Verdict(HealthStatus.PROGRESSING, reason);
  }

  public static Verdict degraded(String reason) {
    return new Verdict(HealthStatus.DEGRADED, reason);
  }

  public static Verdict failed(String reason) {
    return new Verdict(HealthStatus.FAILED, reason);
  }

  /** The same verdict with the object's id in front of the reason, for a site's summary. */
  public Verdict about(String objectId) {
    return new Verdict(status, objectId + ": " + reason);
  }
}
