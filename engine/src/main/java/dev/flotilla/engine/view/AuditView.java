package dev.flotilla.engine.view;

import java.time.Instant;

/** One entry of the append-only audit log ({@code GET /api/v1/audit}). */
public record AuditView(long seq, Instant at, String actor, String rolloutId, String app, String kind, String message) {}
