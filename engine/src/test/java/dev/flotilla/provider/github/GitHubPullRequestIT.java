package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull request preview end to end on the running engine: a signed {@code pull_request} webhook
 * (GitHub's example payload with this repo's commits), the plan of base → head made by the real
 * planner and kustomize, one comment posted then edited in place on the next push, and the head's
 * {@code flotilla/plan} status, on WireMock standing in for GitHub.
 */
class GitHubPullRequestIT {
  static final ProviderToken SECRET = ProviderToken.of("hook-secret");

  @TempDir Path dir;
  WireMockServer api;
  GitFixture git;
  SimulatedDelivery sites;
  Engine engine;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(post(urlPathMatching("/repos/acme/fleet/statuses/.*")).willReturn(aResponse().withStatus(201).withBody("{}")));
    api.stubFor(post(urlPathEqualTo("/repos/acme/fleet/issues/7/comments")).willReturn(aResponse().withStatus(201).withBody("{\"id\":77}")));
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/issues/7/comments")).willReturn(okJson("[]")));
    api.stubFor(patch(urlEqualTo("/repos/acme/fleet/issues/comments/77")).willReturn(okJson("{\"id\":77}")));
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.commit("web 1.0");
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    GitHubSettings settings = new GitHubSettings(URI.create(api.baseUrl()), "acme/fleet", ProviderToken.of("t0ken"), true, SECRET, null);
    engine = Engine.start(config, DeliveryWiring.of(sites), new CiStatuses.Recorded(CiStatus.PASSED), AnalysisSource.NONE,
        GitProvider.connect(settings));
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    sites.close();
    git.close();
    api.stop();
  }

  HttpResponse<String> pullRequest(String delivery, String action, String base, String head) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode event = (ObjectNode) json.readTree(GitHubPullRequestIT.class.getResourceAsStream("/github-webhooks/pull_request.json"));
    event.put("action", action).put("number", 7);
    ObjectNode pr = (ObjectNode) event.path("pull_request");
    pr.put("number", 7);
    ((ObjectNode) pr.path("base")).put("sha", base);
    ((ObjectNode) pr.path("head")).put("sha", head);
    ((ObjectNode) event.path("repository")).put("full_name", "acme/fleet");
    byte[] body = json.writeValueAsBytes(event);
    return http.send(HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/webhooks/github"))
        .header("X-GitHub-Event", "pull_request").header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  RequestPatternBuilder planStatus(String sha, String state) {
    return postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + sha))
        .withRequestBody(matchingJsonPath("$.context", com.github.tomakehurst.wiremock.client.WireMock.equalTo("flotilla/plan")))
        .withRequestBody(matchingJsonPath("$.state", com.github.tomakehurst.wiremock.client.WireMock.equalTo(state)));
  }

  void awaitRequest(RequestPatternBuilder pattern) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until && api.findAll(pattern).isEmpty()) Thread.sleep(100);
    assertThat(api.findAll(pattern)).as("a request like " + pattern.build()).isNotEmpty();
  }

  @Test
  void aPullRequestGetsItsPlanAsOneCommentEditedInPlaceOnTheNextPushAndAPlanStatus() throws Exception {
    String base = git.head();
    git.branch("change");
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String head = git.commit("web 2.0");

    HttpResponse<String> answer = pullRequest("pr-1", "opened", base, head);

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(answer.body()).contains("plan-preview");
    awaitRequest(planStatus(head, "success"));
    api.verify(planStatus(head, "pending"));
    api.verify(1, postRequestedFor(urlEqualTo("/repos/acme/fleet/issues/7/comments"))
        .withRequestBody(matchingJsonPath("$.body", containing(PullRequestPreview.MARKER)))
        .withRequestBody(matchingJsonPath("$.body", containing("web:2.0")))
        .withRequestBody(matchingJsonPath("$.body", containing("hub-1"))));
    api.verify(postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + head))
        .withRequestBody(equalToJson("{\"state\":\"success\",\"context\":\"flotilla/plan\",\"description\":\"1 app changes\"}")));

    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/issues/7/comments"))
        .willReturn(okJson("[{\"id\":5,\"body\":\"LGTM\"},{\"id\":77,\"body\":\"" + PullRequestPreview.MARKER + "\\nold\"}]")));
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.1"));
    String next = git.commit("web 2.1");

    assertThat(pullRequest("pr-2", "synchronize", base, next).statusCode()).isEqualTo(202);

    awaitRequest(planStatus(next, "success"));
    api.verify(1, patchRequestedFor(urlEqualTo("/repos/acme/fleet/issues/comments/77"))
        .withRequestBody(matchingJsonPath("$.body", containing("web:2.1"))));
    api.verify(1, postRequestedFor(urlEqualTo("/repos/acme/fleet/issues/7/comments")));
  }

  @Test
  void anInvalidHeadFailsThePlanStatusWithTheFirstProblemsFileAndLine() throws Exception {
    String base = git.head();
    git.branch("broken");
    git.write("apps/web/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n  policy: default\n  colour: blue\n");
    String head = git.commit("an unknown field");

    assertThat(pullRequest("pr-3", "opened", base, head).statusCode()).isEqualTo(202);

    awaitRequest(planStatus(head, "failure"));
    api.verify(planStatus(head, "failure").withRequestBody(matchingJsonPath("$.description", containing("apps/web/app.yaml:7"))));
    api.verify(postRequestedFor(urlEqualTo("/repos/acme/fleet/issues/7/comments"))
        .withRequestBody(matchingJsonPath("$.body", containing("invalid"))));
  }
}
