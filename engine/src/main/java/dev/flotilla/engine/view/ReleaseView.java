package dev.flotilla.engine.view;

import java.time.Instant;

/**
 * A release as the API shows it ({@code GET /api/v1/releases?app=A}): when the sync first saw it,
 * its state, and for a release that failed (it never became a rollout) the reason, such as
 * kustomize's error.
 */
public record ReleaseView(String app, String revision, Instant firstSeenAt, String state, String error) {}
