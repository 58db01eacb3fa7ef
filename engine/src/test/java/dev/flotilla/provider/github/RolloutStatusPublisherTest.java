package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.provider.ProviderToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code flotilla/rollout/<app>} statuses against WireMock: exact payloads, coalescing, backoff. */
class RolloutStatusPublisherTest {
  static final String SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
  static final String PATH = "/repos/acme/fleet/statuses/" + SHA;

  WireMockServer api;
  SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  RolloutStatusPublisher publisher;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(post(PATH).willReturn(aResponse().withStatus(201).withBody("{}")));
    GitHubApi github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of("t0ken"), true, HttpClient.newHttpClient(),
        new Retry(1, Duration.ZERO, Duration.ZERO), d -> {}, clock);
    publisher = new RolloutStatusPublisher(github, "acme/fleet", "https://flotilla.example/", clock, Duration.ofSeconds(5), Duration.ofMinutes(2));
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  static RolloutView rollout(String state, int wave, int popDone, String reason) {
    List<RolloutView.WaveView> waves = List.of(
        new RolloutView.WaveView("canary", "DONE", 1, 1, 0, 0, 0, 0, null, null, null),
        new RolloutView.WaveView("pop", "UPDATING", 24, popDone, 0, 0, 24 - popDone, 0, null, null, null),
        new RolloutView.WaveView("edge", "PENDING", 60, 0, 0, 0, 60, 0, null, null, null));
    return new RolloutView("pos-a1b2c3d4e5f6", "pos", SHA, "RELEASE", state, reason, wave, null, null, waves, List.of());
  }

  String body(String state, String description) {
    return "{\"state\":\"" + state + "\",\"context\":\"flotilla/rollout/pos\",\"description\":\"" + description
        + "\",\"target_url\":\"https://flotilla.example/api/v1/rollouts/pos-a1b2c3d4e5f6\"}";
  }

  @Test
  void twoCallersPublishingAtOnceSendADueStatusOnce() throws Exception {
    api.stubFor(post(PATH).willReturn(aResponse().withStatus(201).withBody("{}").withFixedDelay(300)));
    publisher.offer(List.of(rollout("RUNNING", 1, 12, null)));

    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(publisher::publishDue);
      var second = pool.submit(publisher::publishDue);
      assertThat(first.get() + second.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    api.verify(1, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void progressIsPostedAsPendingWithTheWaveAndItsSites() {
    publisher.offer(List.of(rollout("RUNNING", 1, 12, null)));

    assertThat(publisher.publishDue()).isEqualTo(1);

    api.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer t0ken"))
        .withRequestBody(equalToJson(body("pending", "wave 2/3 pop: 12/24 sites"))));
  }

  @Test
  void changesWithinTheIntervalAreCoalescedIntoTheLatestAndNothingUnchangedIsResent() {
    publisher.offer(List.of(rollout("RUNNING", 1, 12, null)));
    publisher.publishDue();
    clock.advance(Duration.ofSeconds(1));
    publisher.offer(List.of(rollout("RUNNING", 1, 13, null)));
    publisher.offer(List.of(rollout("RUNNING", 1, 14, null)));
    assertThat(publisher.publishDue()).isZero();

    clock.advance(Duration.ofSeconds(4));
    assertThat(publisher.publishDue()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(10));
    publisher.offer(List.of(rollout("RUNNING", 1, 14, null)));
    assertThat(publisher.publishDue()).isZero();

    api.verify(2, postRequestedFor(urlEqualTo(PATH)));
    api.verify(0, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(body("pending", "wave 2/3 pop: 13/24 sites"))));
    api.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(body("pending", "wave 2/3 pop: 14/24 sites"))));
  }

  @Test
  void aCompletedRolloutIsSuccessAndAHaltedOneFailureWithItsReason() {
    publisher.offer(List.of(rollout("COMPLETED", 2, 24, null)));
    publisher.publishDue();
    api.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(body("success", "rolled out to 85 sites in 3 waves"))));

    clock.advance(Duration.ofSeconds(5));
    publisher.offer(List.of(rollout("HALTED", 1, 3, "wave pop: 4 of 24 sites failed (threshold 2)")));
    publisher.publishDue();
    api.verify(1, postRequestedFor(urlEqualTo(PATH))
        .withRequestBody(equalToJson(body("failure", "halted: wave pop: 4 of 24 sites failed (threshold 2)"))));
  }

  @Test
  void aFailedSendIsTriedAgainAfterABackoffThatDoubles() {
    api.stubFor(post(PATH).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(500)).willSetStateTo("still"));
    api.stubFor(post(PATH).inScenario("outage").whenScenarioStateIs("still")
        .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
    api.stubFor(post(PATH).inScenario("outage").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(201).withBody("{}")));
    publisher.offer(List.of(rollout("RUNNING", 1, 12, null)));

    assertThat(publisher.publishDue()).isZero();        // 500
    clock.advance(Duration.ofSeconds(5));
    assertThat(publisher.publishDue()).isZero();        // 500, next try in 10 s
    clock.advance(Duration.ofSeconds(9));
    assertThat(publisher.publishDue()).isZero();        // not due yet: nothing sent
    clock.advance(Duration.ofSeconds(1));
    assertThat(publisher.publishDue()).isEqualTo(1);

    api.verify(3, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void aRollbackPostsNothingOnTheOlderRevision() {
    RolloutView r = rollout("RUNNING", 0, 0, null);
    publisher.offer(List.of(new RolloutView(r.id() + "-rollback", "pos", SHA, "ROLLBACK", "RUNNING", null, 0, null, null, r.waves(), List.of())));

    assertThat(publisher.publishDue()).isZero();
    api.verify(0, postRequestedFor(urlEqualTo(PATH)));
  }
}
