package dev.flotilla.engine;

import dev.flotilla.rollout.CiStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CI gate's port: the commit status contexts of a revision. The Git provider adapter fills this
 * in from commit statuses; until then {@link Recorded} keeps the statuses it is told (through the
 * API, a test or the demo) and answers {@code fallback} for contexts it was not told about.
 */
public interface CiStatuses {
  Map<String, CiStatus> of(String revision);

  /** The status of a required context nobody reported: pending, unless a source knows better. */
  default CiStatus unreported() {
    return CiStatus.PENDING;
  }

  /**
   * The provider said statuses changed (a status or check webhook): a source that keeps answers
   * for a while reads afresh next time. Nothing to do for a source that never keeps them.
   */
  default void stale() {}

  /** Statuses recorded in memory, per revision and context. */
  final class Recorded implements CiStatuses {
    private final Map<String, Map<String, CiStatus>> byRevision = new ConcurrentHashMap<>();
    private final CiStatus fallback;

    public Recorded(CiStatus fallback) {
      this.fallback = fallback;
    }

    public void record(String revision, String context, CiStatus status) {
      byRevision.computeIfAbsent(revision, r -> new ConcurrentHashMap<>()).put(context, status);
    }

    @Override
    public CiStatus unreported() {
      return fallback;
    }

    @Override
    public Map<String, CiStatus> of(String revision) {
      return Map.copyOf(byRevision.getOrDefault(revision, Map.of()));
    }
  }
}
