package dev.flotilla.provider;

import java.util.List;
import java.util.Optional;

/**
 * What Flotilla asks of a Git provider's REST API: commit statuses set and read, check runs read,
 * one comment per pull (merge) request kept up to date, and pull requests opened from a branch
 * (promotions through pull requests). Adapters: {@code GitHubApi} (GitHub,
 * Gitea, Forgejo) and {@code GitLabApi}. {@code repo} is the provider's name for the fleet repo
 * ({@code OWNER/NAME} on GitHub, the project id or path on GitLab).
 */
public interface ProviderApi {
  /** Sets (creates) the status {@code status.context()} of commit {@code sha}. */
  void setStatus(String repo, String sha, CommitStatus status) throws ProviderException;

  /** The latest status of each context of {@code ref}. */
  List<CommitStatus> statuses(String repo, String ref) throws ProviderException;

  /** The check runs of {@code ref}; none for a provider without them. */
  default List<CheckRun> checkRuns(String repo, String ref) throws ProviderException {
    return List.of();
  }

  /**
   * Posts {@code body} on request {@code number} (a pull request, a merge request's iid), or edits
   * the comment posted before, found by {@code marker} in its body; returns the comment's id.
   */
  long upsertComment(String repo, int number, String marker, String body) throws ProviderException;

  /**
   * The newest pull request, open or not, from branch {@code head} of the repository itself (not a
   * fork); empty when there is none.
   */
  Optional<PullRequest> findPullRequest(String repo, String head) throws ProviderException;

  /** Opens a pull request from branch {@code head} into branch {@code base}. */
  PullRequest openPullRequest(String repo, String head, String base, String title, String body) throws ProviderException;
}
