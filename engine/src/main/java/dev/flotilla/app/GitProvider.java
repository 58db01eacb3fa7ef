package dev.flotilla.app;

import dev.flotilla.engine.CiStatuses;
import dev.flotilla.provider.github.GitHubApi;
import dev.flotilla.provider.github.GitHubCiStatuses;
import dev.flotilla.provider.github.GitHubSettings;
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

  /** The ci gate's statuses read from the provider. */
  public CiStatuses ci() {
    return new GitHubCiStatuses(api, settings.repo());
  }

  /** Whether statuses can be posted: only with a token. */
  public boolean posts() {
    return settings.token() != null;
  }

  RolloutStatusPublisher rolloutStatuses(Clock clock) {
    return new RolloutStatusPublisher(api, settings.repo(), settings.publicUrl(), clock, STATUS_EVERY, Duration.ofMinutes(5));
  }
}
