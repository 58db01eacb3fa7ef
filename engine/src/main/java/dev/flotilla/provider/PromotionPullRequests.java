package dev.flotilla.provider;

import dev.flotilla.fleet.PromotionFile;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.rollout.PromotionRequests;
import dev.flotilla.rollout.Rollout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the core's decision that a wave with {@code approval: pull-request} needs its
 * promotion pull request ({@link PromotionRequests#due}): pushes the branch
 * {@code flotilla/promote/<rollout>-<wave>} with one commit that adds the promotion file on top of
 * the followed revision, and opens a pull request from it into the followed branch. Runs from its
 * own job, never from a scheduling pass. Idempotent: a request already opened from that branch (open,
 * closed or merged) is found first and never opened twice, and an existing branch is left alone. A
 * failure is tried again after a backoff doubling from {@code firstBackoff} to {@code maxBackoff}.
 */
public final class PromotionPullRequests {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionPullRequests.class);
  /** Who the engine's promotion commits are by; a merge that keeps this author is credited to its committer. */
  public static final String AUTHOR_NAME = "Flotilla";
  public static final String AUTHOR_EMAIL = "flotilla@noreply.flotilla.dev";
  public static final String BRANCH_PREFIX = "flotilla/promote/";

  /** What was done for one wave, for the audit log. */
  public record Opened(String rolloutId, String app, String wave, PullRequest pullRequest, boolean existed) {}

  private final ProviderApi api;
  private final String repo;
  private final FleetRepoSource source;
  private final String followedBranch;
  private final Clock clock;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final Set<String> handled = new HashSet<>();
  private final Map<String, Failure> failures = new HashMap<>();

  private record Failure(int count, Instant retryAt) {}

  public PromotionPullRequests(ProviderApi api, String repo, FleetRepoSource source, String followedBranch,
      Clock clock, Duration firstBackoff, Duration maxBackoff) {
    this.api = api;
    this.repo = repo;
    this.source = source;
    this.followedBranch = followedBranch;
    this.clock = clock;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
  }

  public static String branch(PromotionFile file) {
    return BRANCH_PREFIX + file.rollout() + "-" + file.wave();
  }

  /**
   * Opens the pull requests the rollouts need and that are not open yet, each branch based on
   * {@code followedRevision} (the last synced revision of the followed branch); returns what it
   * opened or found.
   */
  public synchronized List<Opened> requestDue(List<Rollout> rollouts, Optional<String> followedRevision) {
    Instant now = clock.instant();
    List<Opened> out = new ArrayList<>();
    Set<String> dueKeys = new HashSet<>();
    for (Rollout r : rollouts) {
      Optional<PromotionFile> due = PromotionRequests.due(r);
      if (due.isEmpty()) continue;
      String key = r.id() + "/" + due.get().wave();
      dueKeys.add(key);
      if (handled.contains(key)) continue;
      Failure failed = failures.get(key);
      if (failed != null && now.isBefore(failed.retryAt())) continue;
      try {
        out.add(request(due.get(), followedRevision));
        handled.add(key);
        failures.remove(key);
      } catch (ProviderException | GitSyncException e) {
        int count = failed == null ? 1 : failed.count() + 1;
        Duration wait = backoff(count);
        failures.put(key, new Failure(count, now.plus(wait)));
        LOG.warn("promotion {}: pull request for wave {} failed (try {}), again in {} s: {}", r.id(), due.get().wave(), count,
            wait.toSeconds(), e.getMessage());
      }
    }
    // What is no longer due (approved, promoted, superseded) is forgotten, so memory stays bounded.
    handled.retainAll(dueKeys);
    failures.keySet().retainAll(dueKeys);
    return out;
  }

  private Duration backoff(int failures) {
    Duration wait = firstBackoff;
    for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) wait = wait.multipliedBy(2);
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  private Opened request(PromotionFile file, Optional<String> followedRevision) throws ProviderException, GitSyncException {
    String branch = branch(file);
    Optional<PullRequest> existing = api.findPullRequest(repo, branch);
    if (existing.isPresent()) return new Opened(file.rollout(), file.app(), file.wave(), existing.get(), true);
    String base = followedRevision.orElseThrow(() -> new GitSyncException(source.location(), followedBranch,
        GitSyncException.Reason.MISSING_BRANCH, "no revision of " + followedBranch + " synced yet to base the promotion on"));
    boolean created = source.pushFileCommit(branch, base, file.path(), file.yaml(), title(file) + "\n\n" + body(file),
        AUTHOR_NAME, AUTHOR_EMAIL, file.requestedAt());
    LOG.info("promotion {}: branch {} {}", file.rollout(), branch, created ? "pushed" : "exists already; left as it is");
    PullRequest opened = api.openPullRequest(repo, branch, followedBranch, title(file), body(file));
    LOG.info("promotion {}: pull request #{} opened for wave {}: {}", file.rollout(), opened.number(), file.wave(), opened.url());
    return new Opened(file.rollout(), file.app(), file.wave(), opened, false);
  }

  static String title(PromotionFile file) {
    return "Promote " + file.app() + " past wave " + file.wave() + " (" + file.revision().substring(0, Math.min(12, file.revision().length())) + ")";
  }

  static String body(PromotionFile file) {
    return "Merging this approves wave `" + file.wave() + "` of rollout `" + file.rollout() + "` (" + file.app() + " at "
        + file.revision() + "): its sites (" + String.join(", ", file.sites()) + ") were updated at " + file.requestedAt()
        + ", and the next wave starts once the wave's other gates pass.\n\n"
        + "Closing it without merging leaves the wave waiting; `flotilla rollout approve " + file.rollout() + " --wave " + file.wave()
        + "` approves it instead.";
  }
}
