package dev.flotilla.engine.port;

import java.util.Objects;

/** An audit entry as stored, with the sequence number the log gave it (increasing, never reused). */
public record AuditRecord(long seq, AuditEntry entry) {
  public AuditRecord {
    Objects.requireNonNull(entry, "entry");
  }
}
