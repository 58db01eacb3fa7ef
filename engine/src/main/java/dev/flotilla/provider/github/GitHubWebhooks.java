package dev.flotilla.provider.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.WebhookDeliveries;
import dev.flotilla.provider.ProviderToken;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads GitHub webhook deliveries: checks the signature first (nothing else is looked at before),
 * records the delivery id (a replay is answered and not acted on twice), then queues what the
 * event asks for through {@link Actions}, which never do the work in the caller's thread: a push to
 * the followed branch queues a sync, a {@code status}, {@code check_run} or {@code check_suite}
 * event queues a refresh of the gate signals, a {@code pull_request} opened, synchronized or
 * reopened queues its plan preview. Gitea and Forgejo send the same payloads with their own
 * headers ({@link WebhookSender#GITEA}); their pull request update is the action {@code synchronized}.
 */
public final class GitHubWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhooks.class);
  /** The pull request actions whose head may have changed. */
  private static final java.util.Set<String> PREVIEWED = java.util.Set.of("opened", "synchronize", "synchronized", "reopened");

  /** The engine's side: each call queues work and returns at once. */
  public interface Actions {
    void syncSoon(String why);

    void refreshGateSignalsSoon(String why);

    /** Queues the plan preview of a pull request (fetch its head, plan, comment, status). */
    void previewSoon(PullRequestPreview.PullRequest pr, String why);
  }

  private final WebhookSender sender;
  private final ProviderToken secret;
  private final String repo;
  private final Supplier<String> followedBranch;
  private final WebhookDeliveries deliveries;
  private final Actions actions;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public GitHubWebhooks(ProviderToken secret, String repo, Supplier<String> followedBranch, WebhookDeliveries deliveries, Actions actions, Clock clock) {
    this(WebhookSender.GITHUB, secret, repo, followedBranch, deliveries, actions, clock);
  }

  public GitHubWebhooks(WebhookSender sender, ProviderToken secret, String repo, Supplier<String> followedBranch, WebhookDeliveries deliveries,
      Actions actions, Clock clock) {
    this.sender = sender;
    this.secret = secret;
    this.repo = repo;
    this.followedBranch = followedBranch;
    this.deliveries = deliveries;
    this.actions = actions;
    this.clock = clock;
  }

  public WebhookSender sender() {
    return sender;
  }

  /**
   * One delivery, as the sender's event, delivery id and signature headers ({@code X-GitHub-Event},
   * {@code X-GitHub-Delivery}, {@code X-Hub-Signature-256} for GitHub) and the raw body give it.
   */
  public WebhookOutcome receive(String event, String deliveryId, String signature, byte[] body) throws StoreException {
    if (signature == null) return new WebhookOutcome.Unauthorized("no " + sender.signatureHeader() + " header");
    if (!sender.signed(secret, body, signature)) return new WebhookOutcome.Unauthorized(sender.signatureHeader() + " does not match the body");
    if (deliveryId == null || deliveryId.isBlank() || deliveryId.length() > 200) {
      return new WebhookOutcome.Invalid(sender.deliveryHeader() + " must name the delivery (1 to 200 characters)");
    }
    if (event == null || event.isBlank()) return new WebhookOutcome.Invalid(sender.eventHeader() + " must name the event");
    JsonNode payload;
    try {
      payload = json.readTree(body);
    } catch (IOException e) {
      return new WebhookOutcome.Invalid("the body is not JSON: " + e.getMessage());
    }
    if (payload == null || !payload.isObject()) return new WebhookOutcome.Invalid("the body is not a JSON object");
    if (!deliveries.firstSeen(sender.provider(), deliveryId, event, clock.instant())) {
      LOG.info("webhook {} {} {}: seen before; not acted on again", sender.provider(), event, deliveryId);
      return new WebhookOutcome.Replayed(deliveryId);
    }
    List<String> queued = act(event, deliveryId, payload);
    LOG.info("webhook {} {} {}: {}", sender.provider(), event, deliveryId, queued.isEmpty() ? "nothing to do" : "queued " + String.join(", ", queued));
    return new WebhookOutcome.Accepted(deliveryId, event, queued);
  }

  private List<String> act(String event, String deliveryId, JsonNode payload) {
    List<String> queued = new ArrayList<>();
    String fullName = payload.path("repository").path("full_name").asText("");
    if (!fullName.isEmpty() && !fullName.equalsIgnoreCase(repo)) return queued; // another repository's hook
    String why = "webhook " + event + " " + deliveryId;
    switch (event) {
      case "push" -> {
        if (("refs/heads/" + followedBranch.get()).equals(payload.path("ref").asText())) {
          actions.syncSoon(why);
          queued.add("sync");
        }
      }
      case "status", "check_run", "check_suite" -> {
        actions.refreshGateSignalsSoon(why);
        queued.add("gate-signals");
      }
      case "pull_request" -> {
        String action = payload.path("action").asText();
        JsonNode pr = payload.path("pull_request");
        if (PREVIEWED.contains(action) && pr.path("number").canConvertToInt() && pr.path("head").path("sha").isTextual()
            && pr.path("base").path("sha").isTextual()) {
          actions.previewSoon(new PullRequestPreview.PullRequest(repo, pr.path("number").asInt(),
              pr.path("base").path("sha").asText(), pr.path("head").path("sha").asText()), why);
          queued.add("plan-preview");
        }
      }
      default -> { } // ping and events Flotilla does not follow: accepted, nothing to do
    }
    return queued;
  }
}
