package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.flotilla.app.Engine;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.GitProvider;
import dev.flotilla.engine.AnalysisSource;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
import java.net.URI;
import java.net.http.HttpClient;
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
 * The {@code ci} gate read from a GitHub-compatible API (WireMock) through the real engine, and the
 * rollout published back as {@code flotilla/rollout/<app>} commit statuses: a Git
 * repository, kustomize, H2, simulated sites, and a stepped clock.
 */
class GitHubCiGateIT {
  @TempDir Path dir;
  WireMockServer api;
  GitFixture git;
  SteppedClock clock;
  SimulatedDelivery sites;
  Engine engine;

  @BeforeEach
  void start() throws Exception {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.commit("web 1.0");
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    GitHubApi github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of("t0ken"), true, HttpClient.newHttpClient(),
        new Retry(1, Duration.ZERO, Duration.ZERO), d -> {}, clock);
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    api.stubFor(post(urlPathMatching("/repos/acme/fleet/statuses/.*")).willReturn(aResponse().withStatus(201).withBody("{}")));
    GitProvider provider = new GitProvider(new GitHubSettings(URI.create(api.baseUrl()), "acme/fleet", ProviderToken.of("t0ken"), true, null, null), github);
    engine = Engine.start(config, DeliveryWiring.of(sites), new GitHubCiStatuses(github, "acme/fleet", clock, GitProvider.CI_MAX_AGE), AnalysisSource.NONE, provider);
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    sites.close();
    git.close();
    api.stop();
  }

  RolloutView runUntil(String id, Predicate<RolloutView> done) throws Exception {
    for (int round = 0; round < 200; round++) {
      engine.step();
      sites.tick();
      engine.publishRolloutStatuses(); // what the provider thread does every second
      RolloutView view = engine.operations().get(id);
      if (done.test(view)) return view;
      clock.advance(Duration.ofSeconds(10));
    }
    throw new AssertionError("rollout " + id + " did not get there: " + engine.operations().get(id));
  }

  String rolloutOf(String revision) throws Exception {
    return engine.operations().list().stream().filter(r -> r.revision().equals(revision)).findFirst().orElseThrow().id();
  }

  /** A release of web 2.0 whose canary wave waits on ci/build and security/scan. */
  String ciGatedRelease() throws Exception {
    runUntil(rolloutOf(git.head()), r -> r.state().equals("COMPLETED"));
    String policy = Files.readString(git.workTree().resolve("policies/default.yaml"));
    git.write("policies/default.yaml", policy.replace("gates: {health: true, soak: 1m}", "gates: {health: true, ci: [ci/build, security/scan]}"));
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    return git.commit("web 2.0, its canary gated on CI");
  }

  void provider(String sha, String statuses, String checkRuns) {
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/commits/" + sha + "/status")).willReturn(okJson("{\"state\":\"x\",\"statuses\":" + statuses + "}")));
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/commits/" + sha + "/check-runs"))
        .willReturn(okJson("{\"total_count\":0,\"check_runs\":" + checkRuns + "}")));
  }

  @Test
  void theGateWaitsWhileAContextIsPendingAndPassesOnceBothAreGreen() throws Exception {
    String next = ciGatedRelease();
    provider(next, "[{\"context\":\"ci/build\",\"state\":\"success\"}]", "[{\"name\":\"security/scan\",\"status\":\"in_progress\",\"conclusion\":null}]");
    engine.syncNow();
    String id = rolloutOf(next);

    RolloutView waiting = runUntil(id, r -> r.waves().get(0).done() == 1 && r.waitingOn() != null && r.waitingOn().contains("security/scan pending"));
    for (int i = 0; i < 3; i++) {
      engine.step();
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(engine.operations().get(id).currentWave()).isZero();
    assertThat(waiting.waitingOn()).contains("ci/build passed");

    provider(next, "[{\"context\":\"ci/build\",\"state\":\"success\"}]", "[{\"name\":\"security/scan\",\"status\":\"completed\",\"conclusion\":\"success\"}]");
    RolloutView done = runUntil(id, r -> r.state().equals("COMPLETED"));
    assertThat(done.waves()).extracting(RolloutView.WaveView::done).containsExactly(1, 2, 4);
    api.verify(getRequestedFor(urlPathEqualTo("/repos/acme/fleet/commits/" + next + "/check-runs")));
    api.verify(postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + next)).withRequestBody(equalToJson(
        "{\"state\":\"pending\",\"context\":\"flotilla/rollout/web\",\"description\":\"wave 1/3 canary: 1/1 sites\"}")));
    api.verify(1, postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + next)).withRequestBody(equalToJson(
        "{\"state\":\"success\",\"context\":\"flotilla/rollout/web\",\"description\":\"rolled out to 7 sites in 3 waves\"}")));
  }

  @Test
  void aRedContextHaltsTheRolloutNamingIt() throws Exception {
    String next = ciGatedRelease();
    provider(next, "[{\"context\":\"ci/build\",\"state\":\"success\"},{\"context\":\"security/scan\",\"state\":\"failure\"}]", "[]");
    engine.syncNow();
    String id = rolloutOf(next);

    RolloutView halted = runUntil(id, r -> r.state().equals("HALTED"));

    assertThat(halted.reason()).contains("security/scan");
    assertThat(halted.waves().get(1).done() + halted.waves().get(1).updating()).isZero();
    clock.advance(Duration.ofSeconds(10));
    engine.publishRolloutStatuses();
    api.verify(1, postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + next)).withRequestBody(equalToJson(
        "{\"state\":\"failure\",\"context\":\"flotilla/rollout/web\",\"description\":\"halted: " + halted.reason() + "\"}")));
  }

  @Test
  void anUnreachableProviderHoldsTheGate() throws Exception {
    String next = ciGatedRelease();
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/commits/" + next + "/status")).willReturn(aResponse().withStatus(503)));
    engine.syncNow();
    String id = rolloutOf(next);

    RolloutView waiting = runUntil(id, r -> r.waves().get(0).done() == 1 && r.waitingOn() != null && r.waitingOn().contains("ci/build pending"));
    for (int i = 0; i < 5; i++) {
      engine.step();
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(engine.operations().get(id).currentWave()).isZero();
    assertThat(engine.operations().get(id).state()).isEqualTo("RUNNING");
    assertThat(waiting.waitingOn()).contains("security/scan pending");
  }
}
