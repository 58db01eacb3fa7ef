package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request the GitHub adapter sends, validated against GitHub's own OpenAPI description
 * ({@code @octokit/openapi}, fetched by {@link OctokitOpenApi}): path, method, parameters, and the
 * body's required fields, fields and types. The validator is checked too: it must refuse a request
 * that breaks the description.
 */
class GitHubApiOpenApiIT {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static OctokitOpenApi openApi;
  static WireMockServer api;

  @BeforeAll
  static void start() throws Exception {
    openApi = OctokitOpenApi.load();
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
  }

  @AfterAll
  static void stop() {
    if (api != null) api.stop();
  }

  @Test
  void everyRequestTheAdapterSendsIsInGitHubsDescription() throws Exception {
    api.resetAll();
    api.stubFor(any(urlPathMatching("/repos/.*")).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\":9}")));
    api.stubFor(get(urlPathMatching("/repos/acme/fleet/commits/.*/status")).willReturn(okJson("{\"state\":\"success\",\"statuses\":[]}")));
    api.stubFor(get(urlPathMatching("/repos/acme/fleet/commits/.*/check-runs")).willReturn(okJson("{\"total_count\":0,\"check_runs\":[]}")));
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/issues/7/comments?per_page=100")).willReturn(okJson("[{\"id\":3,\"body\":\"x\"}]")
        .withHeader("Link", "<" + api.baseUrl() + "/repos/acme/fleet/issues/7/comments?per_page=100&page=2>; rel=\"next\"")));
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/issues/7/comments?per_page=100&page=2")).willReturn(okJson("[{\"id\":4,\"body\":\"<!-- m -->\"}]")));
    api.stubFor(get(urlPathMatching("/repos/acme/fleet/issues/8/comments")).willReturn(okJson("[]")));
    api.stubFor(get(urlPathMatching("/repos/acme/fleet/pulls")).willReturn(okJson("[]")));
    GitHubApi github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of("t"), true, HttpClient.newHttpClient(),
        new Retry(1, Duration.ZERO, Duration.ZERO), d -> {}, Clock.systemUTC());

    github.setStatus("acme/fleet", SHA, new CommitStatus("flotilla/rollout/pos", CommitState.PENDING, "wave 2/5 pop: 12/24 sites", "https://f.example/r/1"));
    github.setStatus("acme/fleet", SHA, new CommitStatus("flotilla/plan", CommitState.FAILURE, null, null));
    github.statuses("acme/fleet", SHA);
    github.checkRuns("acme/fleet", SHA);
    github.upsertComment("acme/fleet", 7, "<!-- m -->", "patched");
    github.upsertComment("acme/fleet", 8, "<!-- m -->", "posted");
    github.findPullRequest("acme/fleet", "flotilla/promote/pos-3f2a1c9d0e1b-canary");
    github.openPullRequest("acme/fleet", "flotilla/promote/pos-3f2a1c9d0e1b-canary", "main", "Promote pos to wave canary", "body");

    List<LoggedRequest> sent = api.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(urlPathMatching(".*")));
    assertThat(sent).extracting(r -> r.getMethod().getName()).contains("POST", "GET", "PATCH");
    assertThat(sent).hasSizeGreaterThanOrEqualTo(11);
    List<String> problems = new ArrayList<>();
    for (LoggedRequest r : sent) problems.addAll(openApi.problems(r.getMethod().getName(), r.getUrl(), r.getBodyAsString()));
    assertThat(problems).isEmpty();
  }

  @Test
  void theValidatorRefusesWhatBreaksTheDescription() throws Exception {
    assertThat(openApi.problems("POST", "/repos/acme/fleet/statuses/" + SHA, "{\"context\":\"x\"}")).anyMatch(p -> p.contains("required field state"));
    assertThat(openApi.problems("POST", "/repos/acme/fleet/statuses/" + SHA, "{\"state\":\"green\"}")).anyMatch(p -> p.contains("not one of"));
    assertThat(openApi.problems("POST", "/repos/acme/fleet/statuses/" + SHA, "{\"state\":\"success\",\"colour\":\"x\"}")).anyMatch(p -> p.contains("colour"));
    assertThat(openApi.problems("PUT", "/repos/acme/fleet/statuses/" + SHA, "{\"state\":\"success\"}")).anyMatch(p -> p.contains("no such operation"));
    assertThat(openApi.problems("GET", "/repos/acme/fleet/commits/" + SHA + "/statuz", null)).anyMatch(p -> p.contains("no such path"));
    assertThat(openApi.problems("PATCH", "/repos/acme/fleet/issues/comments/abc", "{\"body\":\"x\"}")).anyMatch(p -> p.contains("integer"));
    assertThat(openApi.problems("GET", "/repos/acme/fleet/commits/" + SHA + "/status?perpage=100", null)).anyMatch(p -> p.contains("perpage"));
  }
}
