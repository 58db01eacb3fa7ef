package dev.flotilla.provider.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.GitProvider;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitLab as the engine's provider, wired as {@code serve --gitlab-api} wires it (real Git repository,
 * kustomize, H2, Javalin, simulated sites; WireMock standing in for GitLab's API v4): webhooks in at
 * {@code /api/v1/webhooks/gitlab}, the ci gate read from the commit's statuses, and the rollout
 * published as a {@code flotilla/rollout/web} commit status.
 */
class GitLabProviderIT {
  static final String SECRET = "gitlab webhook secret";
  static final String TOKEN = "glpat-t0ken";

  @TempDir Path dir;
  WireMockServer api;
  GitFixture git;
  SteppedClock clock;
  SimulatedDelivery sites;
  Engine engine;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(post(urlPathMatching("/api/v4/projects/15/statuses/.*")).willReturn(aResponse().withStatus(201).withBody("{}")));
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.commit("web 1.0");
    clock = new SteppedClock(Instant.parse("2026-11-30T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    GitLabSettings settings = new GitLabSettings(URI.create(api.baseUrl() + "/api/v4"), "15", ProviderToken.of(TOKEN), true, ProviderToken.of(SECRET), null);
    engine = Engine.start(config, DeliveryWiring.of(sites), GitProvider.connect(settings));
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    sites.close();
    git.close();
    api.stop();
  }

  HttpResponse<String> deliver(String event, String uuid, String token, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/webhooks/gitlab"))
        .header("Content-Type", "application/json").header("X-Gitlab-Event", event).header("X-Gitlab-Event-UUID", uuid)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) b.header("X-Gitlab-Token", token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  byte[] pushOfMain() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode push = (ObjectNode) json.readTree(GitLabProviderIT.class.getResourceAsStream("/gitlab-webhooks/push.json"));
    push.put("ref", "refs/heads/" + GitFixture.MAIN).put("after", git.head());
    return json.writeValueAsBytes(push);
  }

  RolloutView runUntil(String id, Predicate<RolloutView> done) throws Exception {
    for (int round = 0; round < 200; round++) {
      engine.step();
      sites.tick();
      engine.publishRolloutStatuses();
      RolloutView view = engine.operations().get(id);
      if (done.test(view)) return view;
      clock.advance(Duration.ofSeconds(10));
    }
    throw new AssertionError("rollout " + id + " did not get there: " + engine.operations().get(id));
  }

  String rolloutOf(String revision) throws Exception {
    return engine.operations().list().stream().filter(r -> r.revision().equals(revision)).findFirst().orElseThrow().id();
  }

  @Test
  void aPushHookWithTheSecretSyncsAtOnceAndIsNotActedOnTwice() throws Exception {
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String next = git.commit("web 2.0");
    byte[] body = pushOfMain();

    HttpResponse<String> answer = deliver("Push Hook", "0c5f0a4e-3b1f-4a55-8a0d-2f9d2c7d9e10", SECRET, body);
    HttpResponse<String> replay = deliver("Push Hook", "0c5f0a4e-3b1f-4a55-8a0d-2f9d2c7d9e10", SECRET, body);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    assertThat(answer.body()).contains("\"queued\":[\"sync\"]");
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.body()).contains("\"replayed\":true");
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!engine.syncStatus().revision().equals(next) && System.nanoTime() < until) Thread.sleep(50);
    assertThat(engine.syncStatus().revision()).isEqualTo(next);
  }

  @Test
  void aWrongOrMissingTokenIsA401AndRecordsNothing() throws Exception {
    byte[] body = pushOfMain();

    HttpResponse<String> wrong = deliver("Push Hook", "uuid-1", "guessed", body);
    HttpResponse<String> missing = deliver("Push Hook", "uuid-1", null, body);

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("\"error\":\"unauthorized\"");
    assertThat(deliver("Push Hook", "uuid-1", SECRET, body).statusCode()).as("the id was not recorded by the refused ones").isEqualTo(202);
  }

  @Test
  void theGitHubAndGiteaRoutesAreNotServedForGitLab() throws Exception {
    HttpResponse<String> github = http.send(HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/webhooks/github"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(github.statusCode()).isEqualTo(404);
  }

  @Test
  void aFailedGitLabStatusHaltsTheCiGatedRolloutAndTheHaltIsPostedAsAFailedStatus() throws Exception {
    String first = git.head();
    runUntil(rolloutOf(first), r -> r.state().equals("COMPLETED"));
    api.verify(postRequestedFor(urlEqualTo("/api/v4/projects/15/statuses/" + first)).withHeader("PRIVATE-TOKEN", equalTo(TOKEN))
        .withRequestBody(equalToJson("{\"state\":\"success\",\"name\":\"flotilla/rollout/web\"}", true, true)));

    String policy = Files.readString(git.workTree().resolve("policies/default.yaml"));
    git.write("policies/default.yaml", policy.replace("gates: {health: true, soak: 1m}", "gates: {health: true, ci: [ci/build, security/scan]}"));
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String next = git.commit("web 2.0, its canary gated on CI");
    api.stubFor(get(urlPathEqualTo("/api/v4/projects/15/repository/commits/" + next + "/statuses"))
        .willReturn(okJson("[{\"name\":\"ci/build\",\"status\":\"success\"},{\"name\":\"security/scan\",\"status\":\"failed\"}]")));
    engine.syncNow();

    RolloutView halted = runUntil(rolloutOf(next), r -> r.state().equals("HALTED"));

    assertThat(halted.reason()).contains("security/scan");
    api.verify(postRequestedFor(urlEqualTo("/api/v4/projects/15/statuses/" + next))
        .withRequestBody(equalToJson("{\"state\":\"failed\",\"name\":\"flotilla/rollout/web\"}", true, true)));
  }
}
