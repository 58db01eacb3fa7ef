package dev.flotilla.engine.port;

import java.util.Optional;

/** Which audit entries a list returns; an empty field matches every value. */
public record AuditFilter(Optional<String> rolloutId, Optional<String> app, Optional<String> kind) {
  public static AuditFilter all() {
    return new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public AuditFilter withRolloutId(String rolloutId) {
    return new AuditFilter(Optional.of(rolloutId), app, kind);
  }

  public AuditFilter withApp(String app) {
    return new AuditFilter(rolloutId, Optional.of(app), kind);
  }

  public AuditFilter withKind(String kind) {
    return new AuditFilter(rolloutId, app, Optional.of(kind));
  }
}
