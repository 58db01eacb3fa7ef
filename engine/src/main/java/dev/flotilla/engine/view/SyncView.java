package dev.flotilla.engine.view;

import java.time.Instant;

/** How following the fleet repo goes ({@code GET /api/v1/sync}): the revision followed and the last error. */
public record SyncView(String repo, String branch, String revision, Instant lastAttemptAt, String lastError) {}
