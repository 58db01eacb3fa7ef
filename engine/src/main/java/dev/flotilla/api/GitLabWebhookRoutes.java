package dev.flotilla.api;

import dev.flotilla.provider.gitlab.GitLabWebhooks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST /api/v1/webhooks/gitlab}: authenticated by the delivery's {@code X-Gitlab-Token} (the
 * webhook secret itself), not by API tokens; answered as GitHub's route answers (202 queued, 200
 * replayed, 401, 400).
 */
public final class GitLabWebhookRoutes implements RouteTable {
  public static final String PATH = ApiRoutes.PREFIX + "/webhooks/gitlab";

  private final GitLabWebhooks webhooks;

  public GitLabWebhookRoutes(GitLabWebhooks webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post(PATH, this::receive);
  }

  private void receive(Context ctx) throws Exception {
    GitHubWebhookRoutes.answer(ctx, webhooks.receive(ctx.header("X-Gitlab-Event"), ctx.header("X-Gitlab-Event-UUID"),
        ctx.header("X-Gitlab-Token"), ctx.bodyAsBytes()));
  }
}
