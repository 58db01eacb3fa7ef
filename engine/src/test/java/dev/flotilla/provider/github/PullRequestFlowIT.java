package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
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
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.GitProvider;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.testing.GitDaemon;
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
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull request's life end to end, the way a team works: the fleet repo is served by the real
 * {@code git daemon} on loopback, a developer pushes a branch and GitHub (WireMock, and the test
 * sending its signed webhooks) tells the engine; the engine fetches the head from the server and
 * posts the plan comment and the {@code flotilla/plan} status; the branch is merged and pushed, the
 * push webhook makes the engine sync at once, and the release's rollout starts, its canary wave
 * gated on the required CI context, which is red, so the rollout halts naming it. A pull request
 * from a fork, whose head is only on the server's {@code refs/pull/N/head}, gets its plan too.
 */
class PullRequestFlowIT {
  static final ProviderToken SECRET = ProviderToken.of("flow-webhook-secret");

  @TempDir Path dir;
  WireMockServer api;
  GitDaemon daemon;
  GitFixture developer;
  SteppedClock clock;
  SimulatedDelivery sites;
  Engine engine;
  String url;
  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(post(urlPathMatching("/repos/acme/fleet/statuses/.*")).willReturn(aResponse().withStatus(201).withBody("{}")));
    api.stubFor(get(urlPathMatching("/repos/acme/fleet/issues/[0-9]+/comments")).willReturn(okJson("[]")));
    api.stubFor(post(urlPathMatching("/repos/acme/fleet/issues/[0-9]+/comments")).willReturn(aResponse().withStatus(201).withBody("{\"id\":77}")));

    Path served = dir.resolve("served");
    GitFixture.initBare(served.resolve("fleet.git"));
    daemon = GitDaemon.serve(served, dir.resolve("daemon.log"));
    url = daemon.url("fleet.git");
    developer = GitFixture.init(dir.resolve("developer"));
    SmallFleet.write(developer);
    String policy = Files.readString(developer.workTree().resolve("policies/default.yaml"));
    developer.write("policies/default.yaml", policy.replace("gates: {health: true, soak: 1m}", "gates: {health: true, ci: [ci/build]}"));
    developer.commit("web 1.0, canary gated on ci/build");
    developer.pushTo(url, GitFixture.MAIN);
    provider(developer.head(), "success");

    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    EngineConfig config = EngineConfig.defaults(url, dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    GitHubSettings settings = new GitHubSettings(URI.create(api.baseUrl()), "acme/fleet", ProviderToken.of("t0ken"), true, SECRET, null);
    engine = Engine.start(config, DeliveryWiring.of(sites), GitProvider.connect(settings));
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    if (sites != null) sites.close();
    if (developer != null) developer.close();
    if (daemon != null) daemon.close();
    api.stop();
  }

  /** What the provider says about a commit's ci/build context. */
  void provider(String sha, String state) {
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/commits/" + sha + "/status"))
        .willReturn(okJson("{\"state\":\"" + state + "\",\"statuses\":[{\"context\":\"ci/build\",\"state\":\"" + state + "\"}]}")));
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/commits/" + sha + "/check-runs")).willReturn(okJson("{\"total_count\":0,\"check_runs\":[]}")));
  }

  HttpResponse<String> deliver(String event, String delivery, ObjectNode payload) throws Exception {
    payload.putObject("repository").put("full_name", "acme/fleet");
    byte[] body = json.writeValueAsBytes(payload);
    return http.send(HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/webhooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  ObjectNode pullRequest(int number, String action, String base, String head) {
    ObjectNode event = json.createObjectNode().put("action", action).put("number", number);
    ObjectNode pr = event.putObject("pull_request").put("number", number);
    pr.putObject("base").put("sha", base).put("ref", GitFixture.MAIN);
    pr.putObject("head").put("sha", head);
    return event;
  }

  RequestPatternBuilder planStatus(String sha, String state) {
    return postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + sha))
        .withRequestBody(matchingJsonPath("$.context", equalTo("flotilla/plan")))
        .withRequestBody(matchingJsonPath("$.state", equalTo(state)));
  }

  void awaitRequest(RequestPatternBuilder pattern) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until && api.findAll(pattern).isEmpty()) Thread.sleep(100);
    assertThat(api.findAll(pattern)).as("a request like " + pattern.build()).isNotEmpty();
  }

  Optional<RolloutView> rolloutOf(String revision) throws Exception {
    return engine.operations().list().stream().filter(r -> r.revision().equals(revision)).findFirst()
        .map(r -> {
          try {
            return engine.operations().get(r.id());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  RolloutView runUntil(String revision, Predicate<RolloutView> done) throws Exception {
    for (int round = 0; round < 200; round++) {
      engine.step();
      sites.tick();
      Optional<RolloutView> view = rolloutOf(revision);
      if (view.isPresent() && done.test(view.get())) return view.get();
      clock.advance(Duration.ofSeconds(10));
    }
    throw new AssertionError("the rollout of " + revision + " did not get there: " + rolloutOf(revision));
  }

  @Test
  void aPullRequestIsPlannedThenMergedAndItsRolloutWaitsOnCiAndHaltsOnARedContext() throws Exception {
    String base = developer.head();
    runUntil(base, r -> r.state().equals("COMPLETED"));

    developer.branch("web-2");
    developer.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String head = developer.commit("web 2.0");
    developer.pushTo(url, "web-2");
    assertThat(deliver("pull_request", "pr-opened", pullRequest(7, "opened", base, head)).statusCode()).isEqualTo(202);

    awaitRequest(planStatus(head, "success"));
    api.verify(1, postRequestedFor(urlEqualTo("/repos/acme/fleet/issues/7/comments"))
        .withRequestBody(matchingJsonPath("$.body", containing(PullRequestPreview.MARKER)))
        .withRequestBody(matchingJsonPath("$.body", containing("web:2.0"))));
    assertThat(rolloutOf(head)).as("nothing rolls out before the merge").isEmpty();

    try (Git git = Git.wrap(developer.repository())) {
      git.checkout().setName(GitFixture.MAIN).call();
      git.merge().include(developer.repository().resolve(head)).setFastForward(MergeCommand.FastForwardMode.NO_FF)
          .setMessage("Merge pull request #7 from web-2").call();
    }
    String merged = developer.head();
    provider(merged, "failure");
    developer.pushTo(url, GitFixture.MAIN);
    ObjectNode push = json.createObjectNode().put("ref", "refs/heads/" + GitFixture.MAIN).put("after", merged);
    assertThat(deliver("push", "push-merge", push).statusCode()).isEqualTo(202);

    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until && !merged.equals(engine.syncStatus().revision())) Thread.sleep(50);
    assertThat(engine.syncStatus().revision()).as("the push webhook synced the merge").isEqualTo(merged);

    RolloutView halted = runUntil(merged, r -> r.state().equals("HALTED"));
    assertThat(halted.reason()).contains("ci/build");
    assertThat(halted.waves().get(1).done() + halted.waves().get(1).updating()).as("no site past the gate").isZero();
    clock.advance(Duration.ofSeconds(10));
    engine.publishRolloutStatuses();
    api.verify(postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + merged))
        .withRequestBody(matchingJsonPath("$.context", equalTo("flotilla/rollout/web")))
        .withRequestBody(matchingJsonPath("$.state", equalTo("failure")))
        .withRequestBody(matchingJsonPath("$.description", containing("ci/build"))));
  }

  @Test
  void aForksPullRequestIsPlannedFromTheHeadTheServerKeepsUnderRefsPull() throws Exception {
    String base = developer.head();
    developer.branch("fork-change");
    developer.write("apps/web/base/deploy.yaml", SmallFleet.deployment("3.0"));
    String head = developer.commit("web 3.0, from a fork");
    // A fork's branch is not in the fleet repo: the server keeps its head as refs/pull/<n>/head.
    try (Git git = Git.wrap(developer.repository())) {
      git.push().setRemote(url).setRefSpecs(new RefSpec(head + ":refs/pull/8/head")).call();
    }

    assertThat(deliver("pull_request", "pr-fork", pullRequest(8, "opened", base, head)).statusCode()).isEqualTo(202);

    awaitRequest(planStatus(head, "success"));
    api.verify(postRequestedFor(urlEqualTo("/repos/acme/fleet/issues/8/comments"))
        .withRequestBody(matchingJsonPath("$.body", containing("web:3.0"))));
  }
}
