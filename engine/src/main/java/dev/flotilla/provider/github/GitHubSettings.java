package dev.flotilla.provider.github;

import dev.flotilla.provider.ProviderToken;
import java.net.URI;

/**
 * How the engine talks to a GitHub-compatible provider: the API root, the fleet repo's
 * {@code OWNER/NAME} there, the API token (null: anonymous reads, nothing posted), whether plain
 * HTTP is allowed, the webhook secret (null: the webhook route is not served), and the engine's
 * public URL that commit statuses link to (null: no link).
 */
public record GitHubSettings(URI api, String repo, ProviderToken token, boolean allowPlainHttp, ProviderToken webhookSecret, String publicUrl) {
  public GitHubSettings {
    if (api == null) throw new IllegalArgumentException("the Git provider needs an API URL");
    if (repo == null || !repo.matches("[^/\\s]+/[^/\\s]+")) throw new IllegalArgumentException("the Git provider repository must be OWNER/NAME, not " + repo);
  }

  public GitHubApi connect() {
    return GitHubApi.connect(api, token, allowPlainHttp);
  }
}
