package dev.flotilla.app;

import dev.flotilla.engine.CiStatuses;
import dev.flotilla.provider.github.GitHubApi;
import dev.flotilla.provider.github.GitHubCiStatuses;
import dev.flotilla.provider.github.GitHubSettings;
import dev.flotilla.provider.github.Retry;
import dev.flotilla.provider.github.RolloutStatusPublisher;
import java.time.Clock;
import java.time.Duration;

/**
 * The engine's GitHub-compatible provider: its settings and the API client the ci gate, the rollout
 * statuses and the webhooks share.
 */
public record GitProvider(GitHubSettings settings, GitHubApi api) {
  /** At most one rollout status per rollout this often. */
  public static final Duration STATUS_EVERY = Duration.ofSeconds(5);

  public static GitProvider connect(GitHubSettings settings) {
    return new GitProvider(settings, settings.connect());
  }

  /** How long the ci gate keeps an answer unless a status or check webhook says it changed. */
  public static final Duration CI_MAX_AGE = Duration.ofSeconds(30);

  /**
   * The ci gate's statuses read from the provider. Its reads run on the engine's background
   * thread, so they retry little (one more try, at most 2 s later): the next read comes soon anyway.
   */
  public CiStatuses ci(Clock clock) {
    return new GitHubCiStatuses(api.withRetry(new Retry(2, Duration.ofMillis(500), Duration.ofSeconds(2))), settings.repo(), clock, CI_MAX_AGE);
  }

  /** Whether statuses can be posted: only with a token. */
  public boolean posts() {
    return settings.token() != null;
  }

  RolloutStatusPublisher rolloutStatuses(Clock clock) {
    return new RolloutStatusPublisher(api, settings.repo(), settings.publicUrl(), clock, STATUS_EVERY, Duration.ofMinutes(5));
  }
}
