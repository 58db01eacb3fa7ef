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
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Gitea and Forgejo deliveries ({@code X-Gitea-Signature}: bare hex HMAC-SHA256), read by the same
 * handling as GitHub's. Signatures here are computed by the test itself (javax.crypto, or openssl
 * for the fixed vector), never by {@link WebhookSignature}.
 */
class GiteaWebhooksTest {
  static final ProviderToken SECRET = ProviderToken.of("gitea-secret");
  /** {@code openssl dgst -sha256 -hmac gitea-secret src/test/resources/gitea-webhooks/push.json}. */
  static final String PUSH_SIGNATURE = "dfd04db7d89cfb72dcf97101a13d689be3a04026cae92f1559134dda6638182a";

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

  GitHubWebhooks gitea() {
    return new GitHubWebhooks(WebhookSender.GITEA, SECRET, "platform/fleet", () -> "main", deliveries, recording,
        Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
  }

  static byte[] example(String name) throws IOException {
    try (InputStream in = GiteaWebhooksTest.class.getResourceAsStream("/gitea-webhooks/" + name + ".json")) {
      return in.readAllBytes();
    }
  }

  static String hmacHex(String key, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  @Test
  void bareHexSignatureMatchesRfc4231TestCase2() {
    byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);
    String rfc = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    assertThat(WebhookSignature.matchesBareHex(ProviderToken.of("Jefe"), data, rfc)).isTrue();
    assertThat(WebhookSignature.matchesBareHex(ProviderToken.of("Jefe"), data, rfc.toUpperCase())).isTrue();
    assertThat(WebhookSignature.matchesBareHex(ProviderToken.of("Jefe"), data, "sha256=" + rfc)).isFalse();
    assertThat(WebhookSignature.matchesBareHex(ProviderToken.of("Jefe"), data, rfc.substring(0, 62) + "44")).isFalse();
    assertThat(WebhookSignature.matchesBareHex(ProviderToken.of("Jefe"), data, "not hex")).isFalse();
  }

  @Test
  void aPushToTheFollowedBranchSignedAsOpensslComputesItQueuesASync() throws Exception {
    WebhookOutcome outcome = gitea().receive("push", "f6266f16-1bf3-46a5-9ea4-602e06ead473", PUSH_SIGNATURE, example("push"));

    assertThat(outcome).isEqualTo(new WebhookOutcome.Accepted("f6266f16-1bf3-46a5-9ea4-602e06ead473", "push", List.of("sync")));
    assertThat(actions).containsExactly("sync: webhook push f6266f16-1bf3-46a5-9ea4-602e06ead473");
    assertThat(seen).containsExactly("gitea/f6266f16-1bf3-46a5-9ea4-602e06ead473");
  }

  @Test
  void aSynchronizedPullRequestQueuesItsPlanPreview() throws Exception {
    byte[] body = example("pull_request");

    assertThat(gitea().receive("pull_request", "g-2", hmacHex("gitea-secret", body), body))
        .isEqualTo(new WebhookOutcome.Accepted("g-2", "pull_request", List.of("plan-preview")));
    assertThat(actions).containsExactly("preview PullRequest[repo=platform/fleet, number=12, "
        + "baseSha=28e1879d029cb852e4844d9c718537df08844e03, headSha=5d1e3f0e1c4a2b8c9d7e6f5a4b3c2d1e0f9a8b7c]: webhook pull_request g-2");
  }

  @Test
  void aReplayedDeliveryIsAnsweredButNotActedOnTwice() throws Exception {
    GitHubWebhooks hooks = gitea();
    hooks.receive("push", "g-3", PUSH_SIGNATURE, example("push"));

    assertThat(hooks.receive("push", "g-3", PUSH_SIGNATURE, example("push"))).isEqualTo(new WebhookOutcome.Replayed("g-3"));
    assertThat(actions).hasSize(1);
  }

  @Test
  void aGitHubStyleOrWrongOrMissingSignatureIsRefusedBeforeAnythingIsRecorded() throws Exception {
    byte[] body = example("push");

    assertThat(gitea().receive("push", "g-4", "sha256=" + PUSH_SIGNATURE, body))
        .isEqualTo(new WebhookOutcome.Unauthorized("X-Gitea-Signature does not match the body"));
    assertThat(gitea().receive("push", "g-4", hmacHex("guessed", body), body)).isInstanceOf(WebhookOutcome.Unauthorized.class);
    assertThat(gitea().receive("push", "g-4", null, body)).isEqualTo(new WebhookOutcome.Unauthorized("no X-Gitea-Signature header"));
    assertThat(actions).isEmpty();
    assertThat(seen).isEmpty();
  }

  @Test
  void aTamperedBodyNoLongerMatchesItsSignature() throws Exception {
    byte[] body = new String(example("push"), StandardCharsets.UTF_8).replace("refs/heads/main", "refs/heads/evil").getBytes(StandardCharsets.UTF_8);

    assertThat(gitea().receive("push", "g-5", PUSH_SIGNATURE, body)).isInstanceOf(WebhookOutcome.Unauthorized.class);
    assertThat(actions).isEmpty();
  }

  @Test
  void aSignedDeliveryWithoutAnIdNamesGiteasHeader() throws Exception {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    assertThat(gitea().receive("push", null, hmacHex("gitea-secret", body), body))
        .isEqualTo(new WebhookOutcome.Invalid("X-Gitea-Delivery must name the delivery (1 to 200 characters)"));
  }
}
