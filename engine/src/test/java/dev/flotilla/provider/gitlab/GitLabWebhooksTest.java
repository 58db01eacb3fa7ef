package dev.flotilla.provider.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.engine.port.WebhookDeliveries;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.github.GitHubWebhooks;
import dev.flotilla.provider.github.PullRequestPreview;
import dev.flotilla.provider.github.WebhookOutcome;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GitLab deliveries ({@code X-Gitlab-Token}, {@code X-Gitlab-Event}, {@code X-Gitlab-Event-UUID}) on GitLab-shaped payloads. */
class GitLabWebhooksTest {
  static final String SECRET = "gitlab-webhook-secret";

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

  GitLabWebhooks gitlab(String project) {
    return new GitLabWebhooks(ProviderToken.of(SECRET), project, () -> "main", deliveries, recording,
        Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
  }

  static byte[] example(String name) throws IOException {
    try (InputStream in = GitLabWebhooksTest.class.getResourceAsStream("/gitlab-webhooks/" + name + ".json")) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"15", "platform/fleet", "Platform/Fleet"})
  void aPushToTheFollowedBranchOfTheProjectByIdOrPathQueuesASync(String project) throws Exception {
    WebhookOutcome outcome = gitlab(project).receive("Push Hook", "7a1e2c4e-2f6b-4b2e-9d9c-1f0b3f1c2a11", SECRET, example("push"));

    assertThat(outcome).isEqualTo(new WebhookOutcome.Accepted("7a1e2c4e-2f6b-4b2e-9d9c-1f0b3f1c2a11", "Push Hook", List.of("sync")));
    assertThat(actions).containsExactly("sync: webhook Push Hook 7a1e2c4e-2f6b-4b2e-9d9c-1f0b3f1c2a11");
    assertThat(seen).containsExactly("gitlab/7a1e2c4e-2f6b-4b2e-9d9c-1f0b3f1c2a11");
  }

  @Test
  void aPushToAnotherProjectQueuesNothing() throws Exception {
    assertThat(gitlab("platform/other").receive("Push Hook", "u-2", SECRET, example("push"))).isEqualTo(new WebhookOutcome.Accepted("u-2", "Push Hook", List.of()));
    assertThat(actions).isEmpty();
  }

  @Test
  void anUpdatedMergeRequestQueuesItsPreviewFromTheTargetBranchToItsLastCommit() throws Exception {
    assertThat(gitlab("15").receive("Merge Request Hook", "u-3", SECRET, example("merge_request")))
        .isEqualTo(new WebhookOutcome.Accepted("u-3", "Merge Request Hook", List.of("plan-preview")));
    assertThat(actions).containsExactly("preview PullRequest[repo=15, number=7, baseSha=main, "
        + "headSha=da1560886d4f094c3e6c9ef40349f7d38b5d27d7]: webhook Merge Request Hook u-3");
  }

  @Test
  void aClosedMergeRequestQueuesNothing() throws Exception {
    byte[] closed = new String(example("merge_request"), StandardCharsets.UTF_8).replace("\"action\": \"update\"", "\"action\": \"close\"")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(gitlab("15").receive("Merge Request Hook", "u-4", SECRET, closed)).isEqualTo(new WebhookOutcome.Accepted("u-4", "Merge Request Hook", List.of()));
    assertThat(actions).isEmpty();
  }

  @Test
  void aPipelineEventRefreshesTheGateSignals() throws Exception {
    assertThat(gitlab("15").receive("Pipeline Hook", "u-5", SECRET, example("pipeline")))
        .isEqualTo(new WebhookOutcome.Accepted("u-5", "Pipeline Hook", List.of("gate-signals")));
    assertThat(actions).containsExactly("gate-signals: webhook Pipeline Hook u-5");
  }

  @Test
  void aReplayedDeliveryIsAnsweredButNotActedOnTwice() throws Exception {
    GitLabWebhooks hooks = gitlab("15");
    hooks.receive("Push Hook", "u-6", SECRET, example("push"));

    assertThat(hooks.receive("Push Hook", "u-6", SECRET, example("push"))).isEqualTo(new WebhookOutcome.Replayed("u-6"));
    assertThat(actions).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "gitlab-webhook-secreT", "gitlab-webhook-secret ", "gitlab-webhook-secre", "gitlab-webhook-secret-and-more"})
  void aWrongTokenIsRefusedBeforeAnythingIsRecordedOrQueued(String token) throws Exception {
    assertThat(gitlab("15").receive("Push Hook", "u-7", token, example("push")))
        .isEqualTo(new WebhookOutcome.Unauthorized("X-Gitlab-Token is not the webhook secret"));
    assertThat(actions).isEmpty();
    assertThat(seen).isEmpty();
  }

  @Test
  void aMissingTokenIsRefused() throws Exception {
    assertThat(gitlab("15").receive("Push Hook", "u-8", null, example("push"))).isEqualTo(new WebhookOutcome.Unauthorized("no X-Gitlab-Token header"));
    assertThat(seen).isEmpty();
  }

  @Test
  void anAuthenticDeliveryWithoutAUuidIsInvalid() throws Exception {
    assertThat(gitlab("15").receive("Push Hook", null, SECRET, example("push")))
        .isEqualTo(new WebhookOutcome.Invalid("X-Gitlab-Event-UUID must name the delivery (1 to 200 characters)"));
    assertThat(actions).isEmpty();
  }
}
