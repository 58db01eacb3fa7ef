package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.rollout.CiStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How often the ci gate's source asks the provider: once per max age, again at once after a webhook, and what stands during an outage. */
class GitHubCiStatusesReadsTest {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String STATUS = "/repos/acme/fleet/commits/" + SHA + "/status";

  WireMockServer api;
  SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  GitHubCiStatuses ci;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/commits/" + SHA + "/check-runs")).willReturn(okJson("{\"check_runs\":[]}")));
    status("pending");
    GitHubApi github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of("t"), true, HttpClient.newHttpClient(),
        new Retry(1, Duration.ZERO, Duration.ZERO), d -> {}, clock);
    ci = new GitHubCiStatuses(github, "acme/fleet", clock, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  void status(String state) {
    api.stubFor(get(urlPathEqualTo(STATUS)).willReturn(okJson("{\"statuses\":[{\"context\":\"ci/build\",\"state\":\"" + state + "\"}]}")));
  }

  @Test
  void anAnswerIsKeptForItsMaxAgeThenReadAgain() {
    assertThat(ci.of(SHA)).isEqualTo(Map.of("ci/build", CiStatus.PENDING));
    status("success");
    clock.advance(Duration.ofSeconds(29));
    assertThat(ci.of(SHA)).isEqualTo(Map.of("ci/build", CiStatus.PENDING));
    clock.advance(Duration.ofSeconds(1));
    assertThat(ci.of(SHA)).isEqualTo(Map.of("ci/build", CiStatus.PASSED));
    api.verify(2, getRequestedFor(urlPathEqualTo(STATUS)));
  }

  @Test
  void aWebhookSayingStatusesChangedIsReadAtOnce() {
    ci.of(SHA);
    status("failure");
    ci.stale();
    assertThat(ci.of(SHA)).isEqualTo(Map.of("ci/build", CiStatus.FAILED));
  }

  @Test
  void duringAnOutageTheLastAnswerStandsAndTheProviderIsAskedOncePerMaxAge() {
    ci.of(SHA);
    api.stubFor(get(urlPathEqualTo(STATUS)).willReturn(aResponse().withStatus(503)));
    clock.advance(Duration.ofSeconds(30));
    assertThat(ci.of(SHA)).isEqualTo(Map.of("ci/build", CiStatus.PENDING));
    clock.advance(Duration.ofSeconds(10));
    assertThat(ci.of(SHA)).isEqualTo(Map.of("ci/build", CiStatus.PENDING));
    api.verify(2, getRequestedFor(urlPathEqualTo(STATUS)));
  }
}
