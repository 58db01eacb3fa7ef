package dev.flotilla.app;

import dev.flotilla.engine.CiStatuses;
import dev.flotilla.provider.ProviderApi;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.github.GitHubApi;
import dev.flotilla.provider.github.GitHubCiStatuses;
import dev.flotilla.provider.github.GitHubSettings;
import dev.flotilla.provider.github.Retry;
import dev.flotilla.provider.github.RolloutStatusPublisher;
import dev.flotilla.provider.gitlab.GitLabApi;
import dev.flotilla.provider.gitlab.GitLabSettings;
import java.time.Clock;
import java.time.Duration;

/**
 * The engine's Git provider: which kind it is (so which webhook routes are served), the fleet repo's
 * name there, and the API client the ci gate, the rollout statuses and the pull request preview
 * share ({@code ciApi}: the same, retrying little, for reads on the background thread).
 */
public record GitProvider(Kind kind, String repo, ProviderApi api, ProviderApi ciApi, boolean posts, ProviderToken webhookSecret, String publicUrl) {
  /** GITHUB: GitHub, Gitea or Forgejo (webhooks at /github and /gitea); GITLAB: webhooks at /gitlab. */
  public enum Kind {
    GITHUB("refs/pull/%d/head"),
    GITLAB("refs/merge-requests/%d/head");

    private final String headRef;

    Kind(String headRef) {
      this.headRef = headRef;
    }

    /** The ref the provider keeps a pull (merge) request's head under, in the base repository, also for a fork's. */
    public String pullRequestHead(int number) {
      return headRef.formatted(number);
    }
  }

  /** At most one rollout status per rollout this often. */
  public static final Duration STATUS_EVERY = Duration.ofSeconds(5);

  /** How long the ci gate keeps an answer unless a status or check webhook says it changed. */
  public static final Duration CI_MAX_AGE = Duration.ofSeconds(30);

  /**
   * The ci gate's reads run on the engine's background thread, so they retry little (one more try,
   * at most 2 s later): the next read comes soon anyway.
   */
  private static final Retry CI_RETRY = new Retry(2, Duration.ofMillis(500), Duration.ofSeconds(2));

  /** A GitHub-compatible provider with a given client (tests pass one pointed at WireMock). */
  public GitProvider(GitHubSettings settings, GitHubApi github) {
    this(Kind.GITHUB, settings.repo(), github, github.withRetry(CI_RETRY), settings.token() != null, settings.webhookSecret(), settings.publicUrl());
  }

  public static GitProvider connect(GitHubSettings settings) {
    return new GitProvider(settings, settings.connect());
  }

  public static GitProvider connect(GitLabSettings settings) {
    GitLabApi gitlab = settings.connect();
    return new GitProvider(Kind.GITLAB, settings.project(), gitlab, gitlab.withRetry(CI_RETRY), settings.token() != null,
        settings.webhookSecret(), settings.publicUrl());
  }

  /** The ci gate's statuses read from the provider (commit statuses, and check runs where it has them). */
  public CiStatuses ci(Clock clock) {
    return new GitHubCiStatuses(ciApi, repo, clock, CI_MAX_AGE);
  }

  RolloutStatusPublisher rolloutStatuses(Clock clock) {
    return new RolloutStatusPublisher(api, repo, publicUrl, clock, STATUS_EVERY, Duration.ofMinutes(5));
  }
}
