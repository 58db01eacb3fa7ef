package dev.flotilla.cli;

import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.gitlab.GitLabSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** GitLab as the provider of {@code serve}, mirroring {@link GitHubOptions}: token and webhook secret from files or the environment, never the command line. */
final class GitLabOptions {
  static final String TOKEN_ENV = "FLOTILLA_GITLAB_TOKEN";
  static final String WEBHOOK_SECRET_ENV = "FLOTILLA_GITLAB_WEBHOOK_SECRET";

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--gitlab-api", paramLabel = "URL", description = "GitLab REST API root (https://gitlab.com/api/v4, https://HOST/api/v4): "
      + "the ci gate reads commit statuses there, rollouts post flotilla/rollout/<app> statuses, merge requests get the plan as a note.")
  URI api;

  @Option(names = "--gitlab-project", paramLabel = "ID|GROUP/NAME", description = "The fleet repo's project on GitLab, its id or its path (with --gitlab-api).")
  String project;

  @Option(names = "--gitlab-token-file", paramLabel = "FILE", description = "File holding the GitLab API token, sent as PRIVATE-TOKEN (default: the environment variable " + TOKEN_ENV + ").")
  Path tokenFile;

  @Option(names = "--gitlab-webhook-secret-file", paramLabel = "FILE", description = "File holding the secret GitLab sends in X-Gitlab-Token to POST /api/v1/webhooks/gitlab "
      + "(default: the environment variable " + WEBHOOK_SECRET_ENV + "); without one the route answers 404.")
  Path webhookSecretFile;

  @Option(names = "--gitlab-allow-http", description = "Allow a plain-http --gitlab-api (tests, a GitLab on loopback); the token then crosses unencrypted.")
  boolean allowHttp;

  /** The GitLab settings, or empty without {@code --gitlab-api}; {@code publicUrl} is {@code serve}'s {@code --public-url}. */
  Optional<GitLabSettings> settings(String publicUrl) throws IOException {
    if (api == null && project == null) return Optional.empty();
    if (api == null || project == null) throw new ParameterException(spec.commandLine(), "--gitlab-api and --gitlab-project go together");
    ProviderToken token = ProviderToken.fromFileOrEnv(tokenFile, TOKEN_ENV, System.getenv()).orElse(null);
    ProviderToken secret = ProviderToken.fromFileOrEnv(webhookSecretFile, WEBHOOK_SECRET_ENV, System.getenv()).orElse(null);
    try {
      GitLabSettings settings = new GitLabSettings(api, project, token, allowHttp, secret, publicUrl);
      settings.connect(); // refuses plain http now, with the option's name, rather than at the first call
      return Optional.of(settings);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--gitlab-api/--gitlab-project: " + e.getMessage());
    }
  }
}
