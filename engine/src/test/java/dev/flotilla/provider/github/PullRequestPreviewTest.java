package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.flotilla.plan.MarkdownPlan;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.testing.GeneratedPlans;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pull request comment of a plan too big for one comment, on WireMock standing in for GitHub. */
class PullRequestPreviewTest {
  static final String BASE = "a".repeat(40);
  static final String HEAD = "b".repeat(40);
  WireMockServer api;
  GitHubApi github;

  @BeforeEach
  void start() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of("t"), true, HttpClient.newHttpClient(),
        new Retry(1, Duration.ofMillis(1), Duration.ofMillis(1)), d -> {}, Clock.systemUTC());
    api.stubFor(post("/repos/acme/fleet/statuses/" + HEAD).willReturn(aResponse().withStatus(201).withBody("{\"id\":1}")));
    api.stubFor(get(urlEqualTo("/repos/acme/fleet/issues/7/comments?per_page=100")).willReturn(okJson("[]")));
    api.stubFor(post("/repos/acme/fleet/issues/7/comments").willReturn(aResponse().withStatus(201).withBody("{\"id\":9}")));
  }

  @AfterEach
  void stop() {
    api.stop();
  }

  @Test
  void aPlanOf10000DifferentSitesIsPostedCutCleanlyUnderTheCommentBound() throws Exception {
    PullRequestPreview preview = new PullRequestPreview(github, (from, to) -> GeneratedPlans.everySiteDifferent(from, to, 10_000));

    preview.preview(new PullRequestPreview.PullRequest("acme/fleet", 7, BASE, HEAD));

    var posted = api.findAll(postRequestedFor(urlEqualTo("/repos/acme/fleet/issues/7/comments")));
    assertThat(posted).hasSize(1);
    String body = new ObjectMapper().readTree(posted.get(0).getBodyAsString()).get("body").asText();
    assertThat(body.length()).isLessThanOrEqualTo(PullRequestPreview.MAX_COMMENT).isGreaterThan(PullRequestPreview.MAX_COMMENT - 2_000);
    assertThat(PullRequestPreview.MAX_COMMENT).isLessThan(MarkdownPlan.GITHUB_COMMENT_LIMIT);
    assertThat(body).startsWith(PullRequestPreview.MARKER + "\n### Flotilla plan: `aaaaaaaaaaaa` → `bbbbbbbbbbbb`")
        .contains("| `web` | rest | edge | 10,000 sites, 10,000 change |")
        .contains("**Cut here** to keep this under");
    assertThat(body.split("<details>", -1).length).isEqualTo(body.split("</details>", -1).length);
  }

  @Test
  void aFailureTooLongForACommentIsCutAtALineWithItsCodeBlockClosed() {
    String problems = "**A render failed:**\n\n```\n"
        + IntStream.range(0, 5_000).mapToObj(i -> "apps/web/overlays/edge/kustomization.yaml:" + i + ": unknown field").collect(Collectors.joining("\n"))
        + "\n```\n";

    String cut = PullRequestPreview.cut(problems);

    assertThat(cut.length() + PullRequestPreview.MARKER.length() + 1).isLessThanOrEqualTo(PullRequestPreview.MAX_COMMENT);
    assertThat(cut).contains("unknown field\n```\n\n… cut: the whole text is " + problems.length() + " characters");
    assertThat(cut.split("```", -1).length % 2).as("code fences come in pairs").isEqualTo(1);
  }
}
