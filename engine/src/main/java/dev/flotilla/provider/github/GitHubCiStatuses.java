package dev.flotilla.provider.github;

import dev.flotilla.engine.CiStatuses;
import dev.flotilla.provider.ProviderException;
import dev.flotilla.rollout.CiStatus;
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
 * off the scheduling pass. When the provider cannot be read, the last answer for that revision
 * stands (nothing at first: the gate waits), so an outage holds a gate but never opens one.
 */
public final class GitHubCiStatuses implements CiStatuses {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubCiStatuses.class);
  private static final Set<String> PASSING = Set.of("success", "neutral", "skipped");
  private static final int REMEMBERED = 64;

  private final GitHubApi api;
  private final String repo;
  private final Map<String, Map<String, CiStatus>> lastKnown = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Map<String, CiStatus>> eldest) {
      return size() > REMEMBERED;
    }
  };

  public GitHubCiStatuses(GitHubApi api, String repo) {
    this.api = api;
    this.repo = repo;
  }

  @Override
  public Map<String, CiStatus> of(String revision) {
    try {
      Map<String, CiStatus> now = read(revision);
      synchronized (lastKnown) {
        lastKnown.put(revision, now);
      }
      return now;
    } catch (ProviderException e) {
      LOG.warn("ci: cannot read the statuses of {}@{}; keeping the last known: {}", repo, revision, e.getMessage());
      synchronized (lastKnown) {
        return lastKnown.getOrDefault(revision, Map.of());
      }
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
