package dev.flotilla.provider;

/**
 * One check run of a commit: its name, {@code status} ({@code queued}, {@code in_progress},
 * {@code completed}, ...) and, once completed, its {@code conclusion} ({@code success},
 * {@code failure}, {@code neutral}, {@code cancelled}, {@code skipped}, {@code timed_out},
 * {@code action_required}, {@code stale}).
 */
public record CheckRun(String name, String status, String conclusion) {}
