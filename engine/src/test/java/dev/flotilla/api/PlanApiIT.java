package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.AnalysisSource;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
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
 * {@code GET /api/v1/plan?from=&to=} on the running engine (real Git repository, kustomize, H2,
 * Javalin): the plan between two commits as {@code plan --format json} writes it, a 400 naming a
 * missing or unknown parameter, and the viewer role once tokens exist.
 */
class PlanApiIT {
  @TempDir Path dir;
  GitFixture git;
  SimulatedDelivery sites;
  Engine engine;
  String v1;
  String v2;
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    v1 = git.commit("web 1.0");
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    v2 = git.commit("web 2.0");
    SteppedClock clock = new SteppedClock(Instant.parse("2026-11-30T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    engine = Engine.start(config, DeliveryWiring.of(sites), new CiStatuses.Recorded(CiStatus.PASSED), AnalysisSource.NONE, null);
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    sites.close();
    git.close();
  }

  HttpResponse<String> get(String query, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/plan" + query)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePlanBetweenTwoCommitsIsThePlanCommandsJson() throws Exception {
    HttpResponse<String> answer = get("?from=" + v1 + "&to=" + v2, null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode plan = json.readTree(answer.body());
    assertThat(plan.path("from").asText()).isEqualTo(v1);
    assertThat(plan.path("to").asText()).isEqualTo(v2);
    assertThat(plan.path("apps").toString()).contains("\"web\"");
  }

  @Test
  void aBranchNameIsResolvedLikeTheCliResolvesIt() throws Exception {
    HttpResponse<String> answer = get("?from=" + v1 + "&to=" + GitFixture.MAIN, null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(json.readTree(answer.body()).path("to").asText()).isEqualTo(v2);
  }

  @Test
  void aMissingParameterIsA400NamingIt() throws Exception {
    HttpResponse<String> answer = get("?from=" + v1, null);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("query parameter to is required");
  }

  @Test
  void anUnknownRevisionIsA400NamingItsParameter() throws Exception {
    HttpResponse<String> answer = get("?from=no-such-branch&to=" + v2, null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains("query parameter from: unknown revision 'no-such-branch'");
  }

  @Test
  void onceTokensExistItNeedsAtLeastAViewer() throws Exception {
    String viewer = engine.tokens().create("eve", Role.VIEWER, "test").secret();

    assertThat(get("?from=" + v1 + "&to=" + v2, null).statusCode()).isEqualTo(401);
    assertThat(get("?from=" + v1 + "&to=" + v2, viewer).statusCode()).isEqualTo(200);
  }

  @Test
  void aPlanBeyondThoseBeingMadeIsA429WithRetryAfterAndNothingIsRendered() throws Exception {
    try (dev.flotilla.git.FleetRepoSource source = dev.flotilla.git.FleetRepoSource.open(git.workTree().toString(), dir.resolve("cache"),
        dev.flotilla.git.GitAuth.NONE)) {
      // Every slot taken; no renderer: a render would fail the test with a NullPointerException's 500.
      PlanRoutes busy = new PlanRoutes(new dev.flotilla.engine.RevisionPlanner(source, null, java.time.Clock.systemUTC()),
          new java.util.concurrent.Semaphore(0));
      try (HttpServer server = HttpServer.start("127.0.0.1", 0, busy, json)) {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/plan?from=" + v1 + "&to=" + v2)).GET().build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(json.readTree(answer.body()).get("error").asText()).isEqualTo("too-many-requests");
      }
    }
  }
}
