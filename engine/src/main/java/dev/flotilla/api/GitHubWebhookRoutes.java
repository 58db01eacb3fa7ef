package dev.flotilla.api;

import dev.flotilla.provider.github.GitHubWebhooks;
import dev.flotilla.provider.github.WebhookOutcome;
import dev.flotilla.provider.github.WebhookSender;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/webhooks/github} (or {@code /gitea} for Gitea and Forgejo, whose deliveries
 * are read the same way with their own headers): authenticated by the delivery's HMAC signature, not by API
 * tokens. 202 when the work is queued (never done in the request), 200 for a delivery seen before,
 * 401 for a missing or wrong signature (nothing recorded, nothing queued), 400 for a signed
 * delivery that cannot be read.
 */
public final class GitHubWebhookRoutes implements RouteTable {
  public static final String PATH = path(WebhookSender.GITHUB);

  private final GitHubWebhooks webhooks;

  public GitHubWebhookRoutes(GitHubWebhooks webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post(path(webhooks.sender()), this::receive);
  }

  public static String path(WebhookSender sender) {
    return ApiRoutes.PREFIX + "/webhooks/" + sender.provider();
  }

  private void receive(Context ctx) throws Exception {
    WebhookSender sender = webhooks.sender();
    WebhookOutcome outcome = webhooks.receive(ctx.header(sender.eventHeader()), ctx.header(sender.deliveryHeader()),
        ctx.header(sender.signatureHeader()), ctx.bodyAsBytes());
    answer(ctx, outcome);
  }

  /** The HTTP answer to a delivery's outcome, the same for every provider. */
  static void answer(Context ctx, WebhookOutcome outcome) {
    // Java 17: no pattern switch; the sealed type keeps this list whole.
    if (outcome instanceof WebhookOutcome.Accepted a) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("delivery", a.deliveryId());
      body.put("event", a.event());
      body.put("queued", a.queued());
      ctx.status(202).json(body);
    } else if (outcome instanceof WebhookOutcome.Replayed r) {
      ctx.status(200).json(Map.of("delivery", r.deliveryId(), "replayed", true));
    } else if (outcome instanceof WebhookOutcome.Unauthorized u) {
      ctx.status(401).json(new ApiError("unauthorized", u.reason()));
    } else if (outcome instanceof WebhookOutcome.Invalid i) {
      ctx.status(400).json(new ApiError("bad_request", i.reason()));
    }
  }
}
