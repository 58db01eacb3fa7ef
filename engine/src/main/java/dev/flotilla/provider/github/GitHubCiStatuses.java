package dev.flotilla.provider.github;

import dev.flotilla.engine.CiStatuses;
import dev.flotilla.provider.CheckRun;
import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderApi;
import dev.flotilla.provider.ProviderException;
import dev.flotilla.rollout.CiStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CI gate's statuses read from a GitHub-compatible provider: the commit statuses and the check
 * runs of the release's commit, each a context by its name. Called by the gate signals' refresh,
 * off the scheduling pass, which happens several times a second: an answer is kept for
 * {@code maxAge} (GitHub allows 5,000 requests an hour), unless a status or check webhook says the
 * statuses changed ({@link #stale}). When the provider cannot be read, the last answer for that
 * revision stands (nothing at first: the gate waits) and the provider is asked again after
 * {@code maxAge}, so an outage holds a gate, never opens one, and costs one slow read per
 * {@code maxAge}.
 */
public final class GitHubCiStatuses implements CiStatuses {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubCiStatuses.class);
  private static final Set<String> PASSING = Set.of("success", "neutral", "skipped");
  private static final int REMEMBERED = 64;

  private final ProviderApi api;
  private final String repo;
  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Instant> readAt = new HashMap<>();
  private final Map<String, Map<String, CiStatus>> lastKnown = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Map<String, CiStatus>> eldest) {
      return size() > REMEMBERED;
    }
  };

  public GitHubCiStatuses(ProviderApi api, String repo, Clock clock, Duration maxAge) {
    this.api = api;
    this.repo = repo;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  @Override
  public Map<String, CiStatus> of(String revision) {
    Instant now = clock.instant();
    synchronized (lastKnown) {
      Instant at = readAt.get(revision);
      if (at != null && now.isBefore(at.plus(maxAge))) return lastKnown.getOrDefault(revision, Map.of());
      readAt.put(revision, now); // also after a failure: the next try waits maxAge
      if (readAt.size() > REMEMBERED) readAt.clear();
    }
    try {
      Map<String, CiStatus> read = read(revision);
      synchronized (lastKnown) {
        lastKnown.put(revision, read);
      }
      return read;
    } catch (ProviderException e) {
      LOG.warn("ci: cannot read the statuses of {}@{}; keeping the last known for {} s: {}", repo, revision, maxAge.toSeconds(), e.getMessage());
      synchronized (lastKnown) {
        return lastKnown.getOrDefault(revision, Map.of());
      }
    }
  }

  @Override
  public void stale() {
    synchronized (lastKnown) {
      readAt.clear();
    }
  }

  private Map<String, CiStatus> read(String revision) throws ProviderException {
    Map<String, CiStatus> out = new HashMap<>();
    for (CommitStatus s : api.statuses(repo, revision)) out.merge(s.context(), of(s.state()), GitHubCiStatuses::worse);
    List<CheckRun> runs = api.checkRuns(repo, revision);
    for (CheckRun run : runs) out.merge(run.name(), of(run), GitHubCiStatuses::worse);
    return Map.copyOf(out);
  }

  /** A commit status's state as the gate reads it: an error is a failure. */
  static CiStatus of(CommitState state) {
    return switch (state) {
      case SUCCESS -> CiStatus.PASSED;
      case PENDING -> CiStatus.PENDING;
      case FAILURE, ERROR -> CiStatus.FAILED;
    };
  }

  /**
   * A check run as the gate reads it: pending until completed; then success, neutral and skipped
   * pass (as GitHub's required checks count them) and every other conclusion fails.
   */
  static CiStatus of(CheckRun run) {
    if (!"completed".equals(run.status())) return CiStatus.PENDING;
    return run.conclusion() != null && PASSING.contains(run.conclusion()) ? CiStatus.PASSED : CiStatus.FAILED;
  }

  /** A status and a check run of one name: the worse of the two decides. */
  private static CiStatus worse(CiStatus a, CiStatus b) {
    if (a == CiStatus.FAILED || b == CiStatus.FAILED) return CiStatus.FAILED;
    if (a == CiStatus.PENDING || b == CiStatus.PENDING) return CiStatus.PENDING;
    return CiStatus.PASSED;
  }
}
