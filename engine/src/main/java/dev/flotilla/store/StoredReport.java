package dev.flotilla.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The newest a site said about one app: the revision it runs ({@code null} before it ran any),
 * its health word, when it said so, and a message; plus, from the delivery workers, since when and
 * why it could not be reached ({@code unreachableAt} null while it can be).
 */
public record StoredReport(
    String site, String app, String revision, String health, Instant observedAt, String message, Instant unreachableAt,
    String unreachable) {
  public StoredReport {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(health, "health");
    message = message == null ? "" : message;
  }
}
