package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.flotilla.provider.CheckRun;
import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderException;
import dev.flotilla.provider.ProviderToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GitHub-compatible adapter against WireMock: the exact requests it sends, and how it retries. */
class GitHubApiTest {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String TOKEN = "ghp_secretSecretSecret";
  static final Instant NOW = Instant.parse("2026-12-10T10:00:00Z");

  WireMockServer api;
  List<Duration> slept = new ArrayList<>();
  GitHubApi github;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of(TOKEN), true, HttpClient.newHttpClient(),
        new Retry(4, Duration.ofMillis(500), Duration.ofSeconds(30)), slept::add, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  @Test
  void setStatusPostsTheStatePayloadWithTheTokenAndApiHeaders() throws Exception {
    api.stubFor(post("/repos/acme/fleet/statuses/" + SHA).willReturn(aResponse().withStatus(201).withBody("{\"id\":1}")));

    github.setStatus("acme/fleet", SHA, new CommitStatus("flotilla/rollout/pos", CommitState.PENDING, "wave 2/5 pop: 12/24 sites", "https://flotilla.example/r/1"));

    api.verify(1, postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + SHA))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withHeader("Accept", equalTo("application/vnd.github+json"))
        .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson("{\"state\":\"pending\",\"context\":\"flotilla/rollout/pos\","
            + "\"description\":\"wave 2/5 pop: 12/24 sites\",\"target_url\":\"https://flotilla.example/r/1\"}", false, false)));
  }

  @Test
  void upsertCommentPatchesItsOwnEarlierCommentFoundOnALaterPage() throws Exception {
    String marker = "<!-- flotilla-plan -->";
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/issues/7/comments?per_page=100")).willReturn(okJson("[{\"id\":1,\"body\":\"LGTM\"}]")
        .withHeader("Link", "<" + api.baseUrl() + "/repos/acme/fleet/issues/7/comments?per_page=100&page=2>; rel=\"next\", <"
            + api.baseUrl() + "/repos/acme/fleet/issues/7/comments?per_page=100&page=2>; rel=\"last\"")));
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/issues/7/comments?per_page=100&page=2"))
        .willReturn(okJson("[{\"id\":2,\"body\":\"+1\"},{\"id\":42,\"body\":\"" + marker + "\\nold plan\"}]")));
    api.stubFor(patch(urlEqualTo("/repos/acme/fleet/issues/comments/42")).willReturn(okJson("{\"id\":42}")));

    long id = github.upsertComment("acme/fleet", 7, marker, marker + "\nnew plan");

    assertThat(id).isEqualTo(42);
    api.verify(1, patchRequestedFor(urlEqualTo("/repos/acme/fleet/issues/comments/42"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withRequestBody(equalToJson("{\"body\":\"" + marker + "\\nnew plan\"}")));
    api.verify(0, postRequestedFor(urlPathEqualTo("/repos/acme/fleet/issues/7/comments")));
  }

  @Test
  void upsertCommentPostsANewCommentWithTheMarkerWhenNoneIsItsOwn() throws Exception {
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/issues/7/comments?per_page=100")).willReturn(okJson("[{\"id\":1,\"body\":\"LGTM\"}]")));
    api.stubFor(post("/repos/acme/fleet/issues/7/comments").willReturn(aResponse().withStatus(201).withBody("{\"id\":99}")));

    long id = github.upsertComment("acme/fleet", 7, "<!-- flotilla-plan -->", "the plan");

    assertThat(id).isEqualTo(99);
    api.verify(1, postRequestedFor(urlEqualTo("/repos/acme/fleet/issues/7/comments"))
        .withRequestBody(equalToJson("{\"body\":\"<!-- flotilla-plan -->\\nthe plan\"}")));
    api.verify(0, patchRequestedFor(urlPathEqualTo("/repos/acme/fleet/issues/comments/1")));
  }

  @Test
  void aLinkToAnotherHostIsNotFollowedSoTheTokenStaysWithTheApi() throws Exception {
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/issues/7/comments?per_page=100")).willReturn(okJson("[]")
        .withHeader("Link", "<https://evil.example/steal?page=2>; rel=\"next\"")));
    api.stubFor(post("/repos/acme/fleet/issues/7/comments").willReturn(aResponse().withStatus(201).withBody("{\"id\":5}")));

    assertThat(github.upsertComment("acme/fleet", 7, "<!-- m -->", "x")).isEqualTo(5);
  }

  @Test
  void aRateLimitedCallWaitsAsRetryAfterSaysThenSucceeds() throws Exception {
    api.stubFor(post("/repos/acme/fleet/statuses/" + SHA).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")).willSetStateTo("open"));
    api.stubFor(post("/repos/acme/fleet/statuses/" + SHA).inScenario("limit").whenScenarioStateIs("open")
        .willReturn(aResponse().withStatus(201).withBody("{}")));

    github.setStatus("acme/fleet", SHA, new CommitStatus("flotilla/plan", CommitState.SUCCESS, null, null));

    assertThat(slept).containsExactly(Duration.ofSeconds(7));
    api.verify(2, postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + SHA)));
  }

  @Test
  void aSpentRateLimitWaitsUntilItsResetButNoLongerThanTheCap() throws Exception {
    long reset = NOW.plusSeconds(12).getEpochSecond();
    long farReset = NOW.plusSeconds(3600).getEpochSecond();
    api.stubFor(post("/repos/acme/fleet/statuses/" + SHA).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(403).withHeader("X-RateLimit-Remaining", "0").withHeader("X-RateLimit-Reset", Long.toString(reset)))
        .willSetStateTo("far"));
    api.stubFor(post("/repos/acme/fleet/statuses/" + SHA).inScenario("limit").whenScenarioStateIs("far")
        .willReturn(aResponse().withStatus(403).withHeader("X-RateLimit-Remaining", "0").withHeader("X-RateLimit-Reset", Long.toString(farReset)))
        .willSetStateTo("open"));
    api.stubFor(post("/repos/acme/fleet/statuses/" + SHA).inScenario("limit").whenScenarioStateIs("open")
        .willReturn(aResponse().withStatus(201).withBody("{}")));

    github.setStatus("acme/fleet", SHA, new CommitStatus("flotilla/plan", CommitState.SUCCESS, null, null));

    assertThat(slept).containsExactly(Duration.ofSeconds(12), Duration.ofSeconds(30));
  }

  @Test
  void anOutageGivesUpAfterTheBoundedTriesWithAnErrorThatNeverShowsTheToken() {
    api.stubFor(post("/repos/acme/fleet/statuses/" + SHA).willReturn(aResponse().withStatus(502).withBody("bad gateway")));

    assertThatThrownBy(() -> github.setStatus("acme/fleet", SHA, new CommitStatus("flotilla/plan", CommitState.SUCCESS, null, null)))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("answered 502").hasMessageContaining("flotilla/plan")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThat(slept).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    api.verify(4, postRequestedFor(urlEqualTo("/repos/acme/fleet/statuses/" + SHA)));
  }

  @Test
  void aClientErrorIsNotRetried() {
    api.stubFor(post("/repos/acme/fleet/statuses/" + SHA).willReturn(aResponse().withStatus(422).withBody("{\"message\":\"Validation Failed\"}")));

    assertThatThrownBy(() -> github.setStatus("acme/fleet", SHA, new CommitStatus("x", CommitState.SUCCESS, null, null)))
        .isInstanceOf(ProviderException.class).hasMessageContaining("422").hasMessageContaining("Validation Failed");
    assertThat(slept).isEmpty();
  }

  @Test
  void statusesAndCheckRunsOfARefAreRead() throws Exception {
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/commits/" + SHA + "/status?per_page=100")).willReturn(okJson(
        "{\"state\":\"failure\",\"statuses\":[{\"context\":\"ci/build\",\"state\":\"success\",\"description\":null,\"target_url\":null},"
            + "{\"context\":\"security/scan\",\"state\":\"failure\",\"description\":\"2 criticals\",\"target_url\":\"https://ci/1\"}]}")));
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/commits/" + SHA + "/check-runs?per_page=100")).willReturn(okJson(
        "{\"total_count\":1,\"check_runs\":[{\"name\":\"test\",\"status\":\"completed\",\"conclusion\":\"success\"}]}")));

    assertThat(github.statuses("acme/fleet", SHA)).containsExactly(
        new CommitStatus("ci/build", CommitState.SUCCESS, null, null),
        new CommitStatus("security/scan", CommitState.FAILURE, "2 criticals", "https://ci/1"));
    assertThat(github.checkRuns("acme/fleet", SHA)).containsExactly(new CheckRun("test", "completed", "success"));
  }

  @Test
  void aProviderWithoutCheckRunsHasNone() throws Exception {
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/commits/" + SHA + "/check-runs")).willReturn(aResponse().withStatus(404)));

    assertThat(github.checkRuns("acme/fleet", SHA)).isEmpty();
  }

  @Test
  void plainHttpIsRefusedUnlessAllowed() {
    assertThatThrownBy(() -> GitHubApi.connect(URI.create("http://github.example"), ProviderToken.of(TOKEN), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not https");
  }

  @Test
  void aTokenNeverShowsInItsText() {
    assertThat(ProviderToken.of(TOKEN).toString()).doesNotContain(TOKEN);
  }

  @Test
  void findPullRequestAsksForTheOwnersBranchInAnyState() throws Exception {
    String branch = "flotilla/promote/pos-3f2a1c9d0e1b-canary";
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/pulls")).willReturn(okJson(
        "[{\"number\":12,\"state\":\"closed\",\"merged_at\":null,\"html_url\":\"https://github.example/acme/fleet/pull/12\","
            + "\"head\":{\"ref\":\"" + branch + "\"}}]")));

    assertThat(github.findPullRequest("acme/fleet", branch))
        .contains(new dev.flotilla.provider.PullRequest(12, "https://github.example/acme/fleet/pull/12", "closed"));

    api.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo(
            "/repos/acme/fleet/pulls?head=acme%3Aflotilla%2Fpromote%2Fpos-3f2a1c9d0e1b-canary&state=all&sort=created&direction=desc&per_page=100"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
  }

  @Test
  void findPullRequestSkipsRequestsFromOtherBranches() throws Exception {
    // Gitea and Forgejo do not filter by head: every pull request comes back.
    api.stubFor(get(urlPathEqualTo("/repos/acme/fleet/pulls")).willReturn(okJson(
        "[{\"number\":3,\"state\":\"open\",\"head\":{\"ref\":\"feature\"}}]")));

    assertThat(github.findPullRequest("acme/fleet", "flotilla/promote/pos-3f2a1c9d0e1b-canary")).isEmpty();
  }

  @Test
  void openPullRequestPostsTitleHeadBaseAndBody() throws Exception {
    api.stubFor(post("/repos/acme/fleet/pulls").willReturn(aResponse().withStatus(201)
        .withBody("{\"number\":13,\"state\":\"open\",\"html_url\":\"https://github.example/acme/fleet/pull/13\"}")));

    var opened = github.openPullRequest("acme/fleet", "flotilla/promote/pos-3f2a1c9d0e1b-canary", "main", "Promote pos to wave canary", "the body");

    assertThat(opened).isEqualTo(new dev.flotilla.provider.PullRequest(13, "https://github.example/acme/fleet/pull/13", "open"));
    api.verify(1, postRequestedFor(urlEqualTo("/repos/acme/fleet/pulls"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson("{\"title\":\"Promote pos to wave canary\",\"head\":\"flotilla/promote/pos-3f2a1c9d0e1b-canary\","
            + "\"base\":\"main\",\"body\":\"the body\"}", false, false)));
  }
}
