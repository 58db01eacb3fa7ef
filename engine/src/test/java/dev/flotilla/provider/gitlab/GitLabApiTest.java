package dev.flotilla.provider.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderException;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.github.Retry;
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

/** The GitLab adapter against WireMock standing in for GitLab's REST API v4: the exact requests it sends. */
class GitLabApiTest {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String TOKEN = "glpat-secretSecretSecret";
  static final String MARKER = "<!-- flotilla-plan -->";

  WireMockServer api;
  final List<Duration> slept = new ArrayList<>();
  GitLabApi gitlab;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    gitlab = new GitLabApi(URI.create(api.baseUrl() + "/api/v4"), ProviderToken.of(TOKEN), true, HttpClient.newHttpClient(),
        new Retry(3, Duration.ofMillis(500), Duration.ofSeconds(30)), slept::add, Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  @Test
  void setStatusPostsGitLabsPayloadWithThePrivateToken() throws Exception {
    api.stubFor(post("/api/v4/projects/42/statuses/" + SHA).willReturn(aResponse().withStatus(201).withBody("{\"id\":7}")));

    gitlab.setStatus("42", SHA, new CommitStatus("flotilla/rollout/pos", CommitState.FAILURE, "halted: 3/4 failed", "https://flotilla.example/r/1"));

    api.verify(1, postRequestedFor(urlEqualTo("/api/v4/projects/42/statuses/" + SHA))
        .withHeader("PRIVATE-TOKEN", equalTo(TOKEN))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson("{\"state\":\"failed\",\"name\":\"flotilla/rollout/pos\","
            + "\"description\":\"halted: 3/4 failed\",\"target_url\":\"https://flotilla.example/r/1\"}", false, false)));
  }

  @Test
  void aProjectPathIsSentEncodedAsOneSegment() throws Exception {
    api.stubFor(post(urlEqualTo("/api/v4/projects/platform%2Ffleet/statuses/" + SHA)).willReturn(aResponse().withStatus(201).withBody("{}")));

    gitlab.setStatus("platform/fleet", SHA, new CommitStatus("flotilla/plan", CommitState.ERROR, null, null));

    api.verify(1, postRequestedFor(urlEqualTo("/api/v4/projects/platform%2Ffleet/statuses/" + SHA))
        .withRequestBody(equalToJson("{\"state\":\"canceled\",\"name\":\"flotilla/plan\"}", false, false)));
  }

  @Test
  void settingTheStateAStatusAlreadyHasIsTakenAsDone() throws Exception {
    api.stubFor(post("/api/v4/projects/42/statuses/" + SHA)
        .willReturn(aResponse().withStatus(400).withBody("{\"message\":\"Cannot transition status via :enqueue from :pending\"}")));

    gitlab.setStatus("42", SHA, new CommitStatus("flotilla/rollout/pos", CommitState.PENDING, "wave 2/5", null));

    api.verify(1, postRequestedFor(urlEqualTo("/api/v4/projects/42/statuses/" + SHA)));
  }

  @Test
  void anyOtherRefusalIsAnErrorNamingTheCallAndNeverTheToken() {
    api.stubFor(post("/api/v4/projects/42/statuses/" + SHA).willReturn(aResponse().withStatus(403).withBody("{\"message\":\"403 Forbidden\"}")));

    assertThatThrownBy(() -> gitlab.setStatus("42", SHA, new CommitStatus("flotilla/plan", CommitState.SUCCESS, null, null)))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("set status flotilla/plan=success on project 42@" + SHA)
        .hasMessageContaining("answered 403")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN))
        .satisfies(e -> assertThat(((ProviderException) e).status()).isEqualTo(403));
  }

  @Test
  void statusesAreReadFromEveryPageAndMappedToCommitStates() throws Exception {
    String path = "/api/v4/projects/42/repository/commits/" + SHA + "/statuses?per_page=100&page=";
    api.stubFor(get(urlEqualTo(path + "1")).willReturn(okJson("[{\"id\":1,\"name\":\"ci/build\",\"status\":\"success\",\"description\":null,"
        + "\"target_url\":\"https://gitlab.example/p/-/jobs/1\"},{\"id\":2,\"name\":\"security/scan\",\"status\":\"running\"}]")
        .withHeader("X-Next-Page", "2").withHeader("X-Page", "1")));
    api.stubFor(get(urlEqualTo(path + "2")).willReturn(okJson("[{\"id\":3,\"name\":\"e2e\",\"status\":\"failed\"},"
        + "{\"id\":4,\"name\":\"docs\",\"status\":\"skipped\"},{\"id\":5,\"name\":\"deploy-preview\",\"status\":\"canceled\"}]")
        .withHeader("X-Next-Page", "").withHeader("X-Page", "2")));

    List<CommitStatus> statuses = gitlab.statuses("42", SHA);

    assertThat(statuses).containsExactly(
        new CommitStatus("ci/build", CommitState.SUCCESS, null, "https://gitlab.example/p/-/jobs/1"),
        new CommitStatus("security/scan", CommitState.PENDING, null, null),
        new CommitStatus("e2e", CommitState.FAILURE, null, null),
        new CommitStatus("docs", CommitState.SUCCESS, null, null),
        new CommitStatus("deploy-preview", CommitState.ERROR, null, null));
    api.verify(2, anyRequestedFor(anyUrl()).withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
  }

  @Test
  void aNoteIsCreatedOnceWhenNoneCarriesTheMarker() throws Exception {
    String notes = "/api/v4/projects/42/merge_requests/7/notes";
    api.stubFor(get(urlEqualTo(notes + "?per_page=100&page=1")).willReturn(okJson("[{\"id\":1,\"body\":\"LGTM\",\"system\":false}]")));
    api.stubFor(post(urlEqualTo(notes)).willReturn(aResponse().withStatus(201).withBody("{\"id\":99,\"body\":\"x\"}")));

    long id = gitlab.upsertComment("42", 7, MARKER, "plan of 3 sites");

    assertThat(id).isEqualTo(99);
    api.verify(1, postRequestedFor(urlEqualTo(notes)).withRequestBody(equalToJson("{\"body\":\"" + MARKER + "\\nplan of 3 sites\"}")));
    api.verify(0, putRequestedFor(anyUrl()));
  }

  @Test
  void theNoteCarryingTheMarkerOnALaterPageIsUpdatedInPlaceNotDuplicated() throws Exception {
    String notes = "/api/v4/projects/42/merge_requests/7/notes";
    api.stubFor(get(urlEqualTo(notes + "?per_page=100&page=1")).willReturn(okJson("[{\"id\":1,\"body\":\"LGTM\",\"system\":false},"
        + "{\"id\":2,\"body\":\"added 1 commit " + MARKER + "\",\"system\":true}]").withHeader("X-Next-Page", "2")));
    api.stubFor(get(urlEqualTo(notes + "?per_page=100&page=2"))
        .willReturn(okJson("[{\"id\":42,\"body\":\"" + MARKER + "\\nold plan\",\"system\":false}]").withHeader("X-Next-Page", "")));
    api.stubFor(put(urlEqualTo(notes + "/42")).willReturn(okJson("{\"id\":42}")));

    long id = gitlab.upsertComment("42", 7, MARKER, MARKER + "\nnew plan");

    assertThat(id).isEqualTo(42);
    api.verify(1, putRequestedFor(urlEqualTo(notes + "/42")).withHeader("PRIVATE-TOKEN", equalTo(TOKEN))
        .withRequestBody(equalToJson("{\"body\":\"" + MARKER + "\\nnew plan\"}")));
    api.verify(0, postRequestedFor(anyUrl()));
    api.verify(0, putRequestedFor(urlEqualTo(notes + "/2")));
  }

  @Test
  void aServerErrorIsTriedAgainWithBackoff() throws Exception {
    api.stubFor(post("/api/v4/projects/42/statuses/" + SHA).inScenario("flaky").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
        .willReturn(aResponse().withStatus(502)).willSetStateTo("up"));
    api.stubFor(post("/api/v4/projects/42/statuses/" + SHA).inScenario("flaky").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(201).withBody("{}")));

    gitlab.setStatus("42", SHA, new CommitStatus("flotilla/plan", CommitState.SUCCESS, null, null));

    api.verify(2, postRequestedFor(urlEqualTo("/api/v4/projects/42/statuses/" + SHA)));
    assertThat(slept).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void plainHttpIsRefusedUnlessAllowed() {
    assertThatThrownBy(() -> GitLabApi.connect(URI.create("http://gitlab.example/api/v4"), ProviderToken.of(TOKEN), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not https");
  }

  @Test
  void findPullRequestListsTheMergeRequestsOfTheSourceBranchInAnyState() throws Exception {
    String branch = "flotilla/promote/pos-3f2a1c9d0e1b-canary";
    String url = "/api/v4/projects/platform%2Ffleet/merge_requests?source_branch=flotilla%2Fpromote%2Fpos-3f2a1c9d0e1b-canary"
        + "&state=all&order_by=created_at&sort=desc&per_page=100";
    api.stubFor(get(urlEqualTo(url)).willReturn(okJson(
        "[{\"iid\":5,\"state\":\"merged\",\"web_url\":\"https://gitlab.example/platform/fleet/-/merge_requests/5\",\"source_branch\":\"" + branch + "\"}]")));

    assertThat(gitlab.findPullRequest("platform/fleet", branch))
        .contains(new dev.flotilla.provider.PullRequest(5, "https://gitlab.example/platform/fleet/-/merge_requests/5", "merged"));
    api.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo(url)).withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
  }

  @Test
  void openPullRequestPostsAMergeRequest() throws Exception {
    api.stubFor(post(urlEqualTo("/api/v4/projects/42/merge_requests")).willReturn(aResponse().withStatus(201)
        .withBody("{\"iid\":6,\"state\":\"opened\",\"web_url\":\"https://gitlab.example/g/f/-/merge_requests/6\"}")));

    var opened = gitlab.openPullRequest("42", "flotilla/promote/pos-3f2a1c9d0e1b-canary", "main", "Promote pos to wave canary", "the body");

    assertThat(opened).isEqualTo(new dev.flotilla.provider.PullRequest(6, "https://gitlab.example/g/f/-/merge_requests/6", "opened"));
    api.verify(1, postRequestedFor(urlEqualTo("/api/v4/projects/42/merge_requests"))
        .withHeader("PRIVATE-TOKEN", equalTo(TOKEN))
        .withRequestBody(equalToJson("{\"source_branch\":\"flotilla/promote/pos-3f2a1c9d0e1b-canary\",\"target_branch\":\"main\","
            + "\"title\":\"Promote pos to wave canary\",\"description\":\"the body\",\"remove_source_branch\":true}", false, false)));
  }
}
