package dev.flotilla.provider.gitlab;

import dev.flotilla.provider.ProviderToken;
import java.net.URI;

/**
 * How the engine talks to GitLab: the API root ({@code https://gitlab.example/api/v4}), the fleet
 * repo's project (its numeric id or its path {@code group/fleet}), the API token sent as
 * {@code PRIVATE-TOKEN} (null: anonymous reads, nothing posted), whether plain HTTP is allowed, the
 * webhook secret GitLab sends in {@code X-Gitlab-Token} (null: the webhook route is not served), and
 * the engine's public URL that commit statuses link to (null: no link).
 */
public record GitLabSettings(URI api, String project, ProviderToken token, boolean allowPlainHttp, ProviderToken webhookSecret, String publicUrl) {
  public GitLabSettings {
    if (api == null) throw new IllegalArgumentException("GitLab needs an API URL");
    if (project == null || project.isBlank() || project.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("the GitLab project must be its id or its path GROUP/NAME, not " + project);
    }
  }

  public GitLabApi connect() {
    return GitLabApi.connect(api, token, allowPlainHttp);
  }
}
