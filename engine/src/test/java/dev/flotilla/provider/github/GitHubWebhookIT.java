package dev.flotilla.provider.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.GitProvider;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.AnalysisSource;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/webhooks/github} on the running engine (real Git repository, kustomize, H2,
 * Javalin): a signed push to the followed branch makes the engine sync at once (polling is an hour
 * here), a replay is answered and not acted on, a bad signature is a 401 that triggers nothing. The
 * push payload is GitHub's own example ({@code @octokit/webhooks-examples}) with this repo's branch
 * and name.
 */
class GitHubWebhookIT {
  static final ProviderToken SECRET = ProviderToken.of("It's a Secret to Everybody");

  @TempDir Path dir;
  GitFixture git;
  SimulatedDelivery sites;
  Engine engine;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.commit("web 1.0");
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    // No token: nothing is posted to the provider; the API URL is never called in this test.
    GitHubSettings settings = new GitHubSettings(URI.create("http://127.0.0.1:9"), "acme/fleet", null, true, SECRET, null);
    engine = Engine.start(config, DeliveryWiring.of(sites), new CiStatuses.Recorded(CiStatus.PASSED), AnalysisSource.NONE,
        GitProvider.connect(settings));
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    sites.close();
    git.close();
  }

  byte[] pushOfMain() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode push = (ObjectNode) json.readTree(GitHubWebhookIT.class.getResourceAsStream("/github-webhooks/push.json"));
    push.put("ref", "refs/heads/" + GitFixture.MAIN).put("after", git.head());
    ((ObjectNode) push.path("repository")).put("full_name", "acme/fleet");
    return json.writeValueAsBytes(push);
  }

  HttpResponse<String> post(String delivery, String signature, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/webhooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push").header("X-GitHub-Delivery", delivery)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) b.header("X-Hub-Signature-256", signature);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String followedAfter(Duration wait) throws Exception {
    long until = System.nanoTime() + wait.toNanos();
    String revision = engine.syncStatus().revision();
    while (System.nanoTime() < until) {
      revision = engine.syncStatus().revision();
      if (revision.equals(git.head())) return revision;
      Thread.sleep(50);
    }
    return revision;
  }

  /** Waits for the poll job's run at start (Quartz startNow), which on a busy machine can come late and sync a later commit. */
  void afterTheStartupPoll() throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (engine.syncStatus().attempts().size() < 2 && System.nanoTime() < until) Thread.sleep(50);
  }

  @Test
  void aSignedPushToTheFollowedBranchIsAnswered202AndSyncsAtOnce() throws Exception {
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String next = git.commit("web 2.0");
    byte[] body = pushOfMain();

    long started = System.nanoTime();
    HttpResponse<String> answer = post("72d3162e-cc78-11e3-81ab-4c9367dc0958", WebhookSignature.sign(SECRET, body), body);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(answer.body()).contains("\"queued\":[\"sync\"]");
    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(followedAfter(Duration.ofSeconds(30))).isEqualTo(next);
  }

  @Test
  void onceTheApiNeedsTokensADeliveryIsStillLetInByItsSignatureAlone() throws Exception {
    engine.tokens().create("ops", dev.flotilla.api.Role.OPERATOR, "test");
    byte[] body = pushOfMain();

    HttpResponse<String> signed = post("delivery-with-tokens", WebhookSignature.sign(SECRET, body), body);
    HttpResponse<String> forged = post("delivery-forged", WebhookSignature.sign(ProviderToken.of("not the secret"), body), body);
    HttpResponse<String> sync = HttpClient.newHttpClient().send(HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/sync"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(sync.statusCode()).as("other routes still need a token").isEqualTo(401);
  }

  @Test
  void aReplayedDeliveryIsAnswered200AndNotActedOnAgain() throws Exception {
    byte[] body = pushOfMain();
    String signature = WebhookSignature.sign(SECRET, body);
    assertThat(post("delivery-1", signature, body).statusCode()).isEqualTo(202);
    followedAfter(Duration.ofSeconds(30));
    afterTheStartupPoll();
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String next = git.commit("web 2.0");

    HttpResponse<String> replay = post("delivery-1", signature, body);

    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.body()).contains("\"replayed\":true");
    Thread.sleep(1_000);
    assertThat(engine.syncStatus().revision()).isNotEqualTo(next);
  }

  @Test
  void aBadOrMissingSignatureIsA401AndTriggersNothing() throws Exception {
    afterTheStartupPoll(); // so that only a webhook could sync the commit below
    String before = engine.syncStatus().revision();
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    git.commit("web 2.0");
    byte[] body = pushOfMain();

    HttpResponse<String> forged = post("delivery-2", WebhookSignature.sign(ProviderToken.of("guessed"), body), body);
    HttpResponse<String> unsigned = post("delivery-3", null, body);

    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(forged.body()).contains("\"error\":\"unauthorized\"");
    Thread.sleep(1_000);
    assertThat(engine.syncStatus().revision()).isEqualTo(before);
    // Nothing was recorded either: the same delivery id, signed, is acted on.
    assertThat(post("delivery-2", WebhookSignature.sign(SECRET, body), body).statusCode()).isEqualTo(202);
  }

  @Test
  void aDeliveryOverTheServersRequestLimitIsRefusedWith413() throws Exception {
    byte[] body = ("{\"zen\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    HttpResponse<String> answer = post("big-1", WebhookSignature.sign(SECRET, body), body);

    assertThat(answer.statusCode()).isEqualTo(413);
  }

  @Test
  void aBurstWithEveryDeliverySentTwiceIsActedOnOncePerDelivery() throws Exception {
    byte[] body = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String signature = WebhookSignature.sign(SECRET, body);
    java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String id = "burst-" + i;
        for (int copy = 0; copy < 2; copy++) {
          answers.add(senders.submit(() -> http.send(HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/webhooks/github"))
              .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", id).header("X-Hub-Signature-256", signature)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString())));
        }
      }
      java.util.Map<Integer, Long> byStatus = new java.util.TreeMap<>();
      for (var a : answers) byStatus.merge(a.get().statusCode(), 1L, Long::sum);

      assertThat(byStatus).isEqualTo(java.util.Map.of(200, 100L, 202, 100L));
    } finally {
      senders.shutdownNow();
    }
  }
}
