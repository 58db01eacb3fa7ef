package dev.flotilla.cli;

import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.github.GitHubSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The GitHub-compatible provider of {@code serve}: API, repository, token and webhook secret from files or the environment, never the command line. */
final class GitHubOptions {
  static final String TOKEN_ENV = "FLOTILLA_GITHUB_TOKEN";
  static final String WEBHOOK_SECRET_ENV = "FLOTILLA_GITHUB_WEBHOOK_SECRET";

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--github-api", paramLabel = "URL", description = "GitHub-compatible REST API root (https://api.github.com, https://HOST/api/v3, https://GITEA/api/v1): "
      + "the ci gate reads commit statuses and check runs there, rollouts post flotilla/rollout/<app> statuses.")
  URI api;

  @Option(names = "--github-repo", paramLabel = "OWNER/NAME", description = "The fleet repo on the provider (with --github-api).")
  String repo;

  @Option(names = "--github-token-file", paramLabel = "FILE", description = "File holding the provider API token (default: the environment variable " + TOKEN_ENV + ").")
  Path tokenFile;

  @Option(names = "--github-webhook-secret-file", paramLabel = "FILE", description = "File holding the webhook secret that signs POST /api/v1/webhooks/github "
      + "(default: the environment variable " + WEBHOOK_SECRET_ENV + "); without one the route answers 404.")
  Path webhookSecretFile;

  @Option(names = "--github-allow-http", description = "Allow a plain-http --github-api (tests, a provider on loopback); the token then crosses unencrypted.")
  boolean allowHttp;

  @Option(names = "--public-url", paramLabel = "URL", description = "The engine's address as people reach it; commit statuses link to its rollouts.")
  String publicUrl;

  /** The provider settings, or empty without {@code --github-api}. */
  Optional<GitHubSettings> settings() throws IOException {
    if (api == null && repo == null) return Optional.empty();
    if (api == null || repo == null) throw new ParameterException(spec.commandLine(), "--github-api and --github-repo go together");
    ProviderToken token = ProviderToken.fromFileOrEnv(tokenFile, TOKEN_ENV, System.getenv()).orElse(null);
    ProviderToken secret = ProviderToken.fromFileOrEnv(webhookSecretFile, WEBHOOK_SECRET_ENV, System.getenv()).orElse(null);
    try {
      GitHubSettings settings = new GitHubSettings(api, repo, token, allowHttp, secret, publicUrl);
      settings.connect(); // refuses plain http now, with the option's name, rather than at the first call
      return Optional.of(settings);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--github-api/--github-repo: " + e.getMessage());
    }
  }
}
