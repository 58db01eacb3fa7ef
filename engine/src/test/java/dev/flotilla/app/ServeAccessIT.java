package dev.flotilla.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.Role;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.CiStatuses;
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

/** The engine (a Git repo, H2, the real API) refuses to open its API to the network without tokens. */
class ServeAccessIT {
  @TempDir Path dir;
  GitFixture git;
  SimulatedDelivery sites;
  EngineConfig config;

  @BeforeEach
  void fleet() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.commit("web 1.0");
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
  }

  @AfterEach
  void close() throws Exception {
    sites.close();
    git.close();
  }

  @Test
  void aNonLoopbackApiWithoutTokensIsRefusedAndOneTokenLetsItStart() throws Exception {
    assertThatThrownBy(() -> Engine.start(config.withListen("0.0.0.0", 0), sites, new CiStatuses.Recorded(CiStatus.PASSED)))
        .isInstanceOf(StartRefusedException.class)
        .hasMessageContaining("without access tokens").hasMessageContaining("flotilla tokens create");

    String token;
    try (Engine local = Engine.start(config.withListen("127.0.0.1", 0), sites, new CiStatuses.Recorded(CiStatus.PASSED))) {
      token = local.tokens().create("ada", Role.ADMIN, "test").secret();
    }
    try (Engine open = Engine.start(config.withListen("0.0.0.0", 0), sites, new CiStatuses.Recorded(CiStatus.PASSED))) {
      URI api = URI.create("http://127.0.0.1:" + open.apiUri().getPort() + "/api/v1/rollouts");
      HttpClient http = HttpClient.newHttpClient();
      int without = http.send(HttpRequest.newBuilder(api).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
      HttpResponse<String> with = http.send(HttpRequest.newBuilder(api).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(without).isEqualTo(401);
      assertThat(with.statusCode()).isEqualTo(200);
      assertThat(with.body()).contains("\"app\":\"web\"");
    }
  }
}
