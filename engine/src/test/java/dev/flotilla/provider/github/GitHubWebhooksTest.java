package dev.flotilla.provider.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.engine.port.WebhookDeliveries;
import dev.flotilla.provider.ProviderToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Deliveries read on GitHub's real example payloads ({@code @octokit/webhooks-examples}, see test resources). */
class GitHubWebhooksTest {
  static final ProviderToken SECRET = ProviderToken.of("webhook-secret");

  final List<String> actions = new ArrayList<>();
  final Set<String> seen = new HashSet<>();
  final WebhookDeliveries deliveries = new WebhookDeliveries() {
    @Override
    public boolean firstSeen(String provider, String deliveryId, String event, Instant at) {
      return seen.add(provider + "/" + deliveryId);
    }

    @Override
    public int forgetBefore(Instant before) {
      return 0;
    }
  };
  final GitHubWebhooks.Actions recording = new GitHubWebhooks.Actions() {
    @Override
    public void syncSoon(String why) {
      actions.add("sync: " + why);
    }

    @Override
    public void refreshGateSignalsSoon(String why) {
      actions.add("gate-signals: " + why);
    }

    @Override
    public void previewSoon(PullRequestPreview.PullRequest pr, String why) {
      actions.add("preview " + pr + ": " + why);
    }
  };

  GitHubWebhooks webhooks(String repo) {
    return new GitHubWebhooks(SECRET, repo, () -> "master", deliveries, recording, Clock.fixed(Instant.parse("2026-12-10T10:00:00Z"), ZoneOffset.UTC));
  }

  static byte[] example(String name) throws IOException {
    try (InputStream in = GitHubWebhooksTest.class.getResourceAsStream("/github-webhooks/" + name + ".json")) {
      return in.readAllBytes();
    }
  }

  WebhookOutcome deliver(GitHubWebhooks hooks, String event, String id, String file) throws Exception {
    byte[] body = example(file);
    return hooks.receive(event, id, WebhookSignature.sign(SECRET, body), body);
  }

  @Test
  void aPushToTheFollowedBranchQueuesASync() throws Exception {
    WebhookOutcome outcome = deliver(webhooks("Codertocat/Hello-World"), "push", "d-1", "push");

    assertThat(outcome).isEqualTo(new WebhookOutcome.Accepted("d-1", "push", List.of("sync")));
    assertThat(actions).containsExactly("sync: webhook push d-1");
  }

  @Test
  void aPushOfATagQueuesNothing() throws Exception {
    assertThat(deliver(webhooks("Codertocat/Hello-World"), "push", "d-2", "push-tag"))
        .isEqualTo(new WebhookOutcome.Accepted("d-2", "push", List.of()));
    assertThat(actions).isEmpty();
  }

  @Test
  void aPushToAnotherRepositoryQueuesNothing() throws Exception {
    assertThat(deliver(webhooks("acme/fleet"), "push", "d-3", "push")).isEqualTo(new WebhookOutcome.Accepted("d-3", "push", List.of()));
    assertThat(actions).isEmpty();
  }

  @Test
  void statusAndCheckRunEventsRefreshTheGateSignals() throws Exception {
    GitHubWebhooks hooks = webhooks("Codertocat/Hello-World");
    assertThat(deliver(hooks, "status", "d-4", "status")).isEqualTo(new WebhookOutcome.Accepted("d-4", "status", List.of("gate-signals")));
    assertThat(deliver(hooks, "check_run", "d-5", "check_run")).isEqualTo(new WebhookOutcome.Accepted("d-5", "check_run", List.of("gate-signals")));
    assertThat(actions).containsExactly("gate-signals: webhook status d-4", "gate-signals: webhook check_run d-5");
  }

  @Test
  void anOpenedPullRequestQueuesItsPlanPreviewOfBaseToHead() throws Exception {
    assertThat(deliver(webhooks("Codertocat/Hello-World"), "pull_request", "d-9", "pull_request"))
        .isEqualTo(new WebhookOutcome.Accepted("d-9", "pull_request", List.of("plan-preview")));
    assertThat(actions).containsExactly("preview PullRequest[repo=Codertocat/Hello-World, number=2, "
        + "baseSha=f95f852bd8fca8fcc58a9a2d6c842781e32a215e, headSha=ec26c3e57ca3a959ca5aad62de7213c562f8c821]: webhook pull_request d-9");
  }

  @Test
  void aPingIsAcceptedAndAsksForNothing() throws Exception {
    assertThat(deliver(webhooks("Octocoders/Hello-World"), "ping", "d-6", "ping")).isEqualTo(new WebhookOutcome.Accepted("d-6", "ping", List.of()));
    assertThat(actions).isEmpty();
  }

  @Test
  void aReplayedDeliveryIsAnsweredButNotActedOnTwice() throws Exception {
    GitHubWebhooks hooks = webhooks("Codertocat/Hello-World");
    deliver(hooks, "push", "d-7", "push");

    assertThat(deliver(hooks, "push", "d-7", "push")).isEqualTo(new WebhookOutcome.Replayed("d-7"));
    assertThat(actions).hasSize(1);
  }

  @Test
  void aBadSignatureIsRefusedBeforeAnythingIsRecordedOrQueued() throws Exception {
    byte[] body = example("push");
    String forged = WebhookSignature.sign(ProviderToken.of("guessed"), body);

    assertThat(webhooks("Codertocat/Hello-World").receive("push", "d-8", forged, body)).isInstanceOf(WebhookOutcome.Unauthorized.class);
    assertThat(webhooks("Codertocat/Hello-World").receive("push", "d-8", null, body)).isInstanceOf(WebhookOutcome.Unauthorized.class);
    assertThat(actions).isEmpty();
    assertThat(seen).isEmpty();
  }

  @Test
  void aSignedDeliveryWithoutAnIdIsInvalid() throws Exception {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(webhooks("acme/fleet").receive("push", null, WebhookSignature.sign(SECRET, body), body)).isInstanceOf(WebhookOutcome.Invalid.class);
    assertThat(actions).isEmpty();
  }
}
