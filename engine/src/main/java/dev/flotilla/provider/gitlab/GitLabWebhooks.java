package dev.flotilla.provider.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.WebhookDeliveries;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.github.GitHubWebhooks;
import dev.flotilla.provider.github.PullRequestPreview;
import dev.flotilla.provider.github.WebhookOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads GitLab webhook deliveries. GitLab does not sign a delivery: it sends the configured secret
 * itself in {@code X-Gitlab-Token}, checked first (in constant time) before anything else is read.
 * The delivery id is {@code X-Gitlab-Event-UUID} (a replay is answered and not acted on twice).
 * Then, through the same {@link GitHubWebhooks.Actions} as GitHub's: a {@code Push Hook} to the
 * followed branch queues a sync, a {@code Pipeline Hook} queues a refresh of the gate signals (its
 * jobs are the commit statuses the ci gate reads), a {@code Merge Request Hook} opened, reopened or
 * updated queues its plan preview from the target branch to the last commit.
 */
public final class GitLabWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(GitLabWebhooks.class);
  public static final String PROVIDER = "gitlab";
  private static final Set<String> PREVIEWED = Set.of("open", "reopen", "update");

  private final byte[] secretDigest;
  private final String project;
  private final Supplier<String> followedBranch;
  private final WebhookDeliveries deliveries;
  private final GitHubWebhooks.Actions actions;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  /** {@code project} is the fleet repo's project id or path, as the API client uses it. */
  public GitLabWebhooks(ProviderToken secret, String project, Supplier<String> followedBranch, WebhookDeliveries deliveries,
      GitHubWebhooks.Actions actions, Clock clock) {
    this.secretDigest = sha256(secret.reveal());
    this.project = project;
    this.followedBranch = followedBranch;
    this.deliveries = deliveries;
    this.actions = actions;
    this.clock = clock;
  }

  /**
   * Whether {@code header} is the secret. Both sides are hashed first so that the comparison takes
   * the same time whatever the length or the content of a guess.
   */
  boolean authentic(String header) {
    return header != null && MessageDigest.isEqual(secretDigest, sha256(header));
  }

  /** One delivery, as the headers {@code X-Gitlab-Event}, {@code X-Gitlab-Event-UUID}, {@code X-Gitlab-Token} and the raw body give it. */
  public WebhookOutcome receive(String event, String deliveryId, String token, byte[] body) throws StoreException {
    if (token == null) return new WebhookOutcome.Unauthorized("no X-Gitlab-Token header");
    if (!authentic(token)) return new WebhookOutcome.Unauthorized("X-Gitlab-Token is not the webhook secret");
    if (deliveryId == null || deliveryId.isBlank() || deliveryId.length() > 200) {
      return new WebhookOutcome.Invalid("X-Gitlab-Event-UUID must name the delivery (1 to 200 characters)");
    }
    if (event == null || event.isBlank()) return new WebhookOutcome.Invalid("X-Gitlab-Event must name the event");
    JsonNode payload;
    try {
      payload = json.readTree(body);
    } catch (IOException e) {
      return new WebhookOutcome.Invalid("the body is not JSON: " + e.getMessage());
    }
    if (payload == null || !payload.isObject()) return new WebhookOutcome.Invalid("the body is not a JSON object");
    if (!deliveries.firstSeen(PROVIDER, deliveryId, event, clock.instant())) {
      LOG.info("webhook gitlab {} {}: seen before; not acted on again", event, deliveryId);
      return new WebhookOutcome.Replayed(deliveryId);
    }
    List<String> queued = act(event, deliveryId, payload);
    LOG.info("webhook gitlab {} {}: {}", event, deliveryId, queued.isEmpty() ? "nothing to do" : "queued " + String.join(", ", queued));
    return new WebhookOutcome.Accepted(deliveryId, event, queued);
  }

  private List<String> act(String event, String deliveryId, JsonNode payload) {
    List<String> queued = new ArrayList<>();
    if (!ours(payload.path("project"))) return queued; // another project's hook
    String why = "webhook " + event + " " + deliveryId;
    switch (event) {
      case "Push Hook" -> {
        if (("refs/heads/" + followedBranch.get()).equals(payload.path("ref").asText())) {
          actions.syncSoon(why);
          queued.add("sync");
        }
      }
      case "Pipeline Hook" -> {
        actions.refreshGateSignalsSoon(why);
        queued.add("gate-signals");
      }
      case "Merge Request Hook" -> {
        JsonNode mr = payload.path("object_attributes");
        String head = mr.path("last_commit").path("id").asText("");
        // GitLab's merge request event carries no base commit: the preview plans from the target branch.
        String target = mr.path("target_branch").asText("");
        if (PREVIEWED.contains(mr.path("action").asText()) && mr.path("iid").canConvertToInt() && !head.isEmpty() && !target.isEmpty()) {
          actions.previewSoon(new PullRequestPreview.PullRequest(project, mr.path("iid").asInt(), target, head), why);
          queued.add("plan-preview");
        }
      }
      default -> { } // other events (notes, tags, jobs): accepted, nothing to do
    }
    return queued;
  }

  /** A payload's project is the fleet repo's when its id or its path is the configured project (a payload without one is taken as ours). */
  private boolean ours(JsonNode p) {
    if (p.isMissingNode()) return true;
    return project.equals(p.path("id").asText()) || project.equalsIgnoreCase(p.path("path_with_namespace").asText());
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
