package dev.flotilla.provider.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.provider.CheckRun;
import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderApi;
import dev.flotilla.provider.ProviderException;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.PullRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GitHub-compatible REST API (GitHub, GitHub Enterprise's {@code /api/v3}, Gitea and Forgejo's
 * {@code /api/v1}): commit statuses, check runs, and pull request comments found again by a hidden
 * marker. Each call is retried by {@link Retry}; the token goes only in the {@code Authorization}
 * header, only to the configured API, and only over HTTPS unless plain HTTP was allowed.
 */
public final class GitHubApi implements ProviderApi {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
  private static final int MAX_PAGES = 50;

  /** Waits between tries; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final URI base;
  private final ProviderToken token;
  private final HttpClient http;
  private final Retry retry;
  private final Sleeper sleeper;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final JsonCalls calls;

  /**
   * {@code base} is the API root ({@code https://api.github.com}, {@code https://gitea.example/api/v1});
   * {@code token} may be null for anonymous reads.
   */
  public GitHubApi(URI base, ProviderToken token, boolean allowPlainHttp, HttpClient http, Retry retry, Sleeper sleeper, Clock clock) {
    this.base = JsonCalls.checkedBase(base, allowPlainHttp, "the Git provider API");
    this.token = token;
    this.http = http;
    this.retry = retry;
    this.sleeper = sleeper;
    this.clock = clock;
    this.calls = new JsonCalls(http, retry, sleeper, clock, b -> {
      b.header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28");
      if (token != null) b.header("Authorization", "Bearer " + token.reveal());
    });
  }

  /** A client with its own HTTP client, the default retry, and real sleeping. */
  public static GitHubApi connect(URI base, ProviderToken token, boolean allowPlainHttp) {
    return new GitHubApi(base, token, allowPlainHttp, JsonCalls.defaultClient(), Retry.DEFAULT, d -> Thread.sleep(d.toMillis()), Clock.systemUTC());
  }

  /** The same client with another retry policy. */
  public GitHubApi withRetry(Retry other) {
    return new GitHubApi(base, token, true, http, other, sleeper, clock);
  }

  public URI base() {
    return base;
  }

  /** Sets (creates) the commit status {@code status.context()} of {@code sha}: {@code POST /repos/{owner}/{repo}/statuses/{sha}}. */
  @Override
  public void setStatus(String repo, String sha, CommitStatus status) throws ProviderException {
    ObjectNode body = json.createObjectNode().put("state", status.state().wire()).put("context", status.context());
    if (status.description() != null) body.put("description", status.description());
    if (status.targetUrl() != null) body.put("target_url", status.targetUrl());
    send("set status " + status.context() + "=" + status.state().wire() + " on " + repo + "@" + sha,
        "POST", path(repo, "statuses", sha), body);
  }

  /** The latest status of each context of {@code ref}: {@code GET /repos/{owner}/{repo}/commits/{ref}/status}, every page. */
  @Override
  public List<CommitStatus> statuses(String repo, String ref) throws ProviderException {
    List<CommitStatus> out = new ArrayList<>();
    for (JsonNode page : pages("read the combined status of " + repo + "@" + ref, path(repo, "commits", ref, "status") + "?per_page=100")) {
      for (JsonNode s : page.path("statuses")) {
        out.add(new CommitStatus(s.path("context").asText(), CommitState.fromWire(s.path("state").asText()),
            s.path("description").isTextual() ? s.path("description").asText() : null,
            s.path("target_url").isTextual() ? s.path("target_url").asText() : null));
      }
    }
    return out;
  }

  /**
   * The check runs of {@code ref}: {@code GET /repos/{owner}/{repo}/commits/{ref}/check-runs}, every
   * page. Providers without checks (Gitea, Forgejo) answer 404: none.
   */
  @Override
  public List<CheckRun> checkRuns(String repo, String ref) throws ProviderException {
    List<CheckRun> out = new ArrayList<>();
    try {
      for (JsonNode page : pages("read the check runs of " + repo + "@" + ref, path(repo, "commits", ref, "check-runs") + "?per_page=100")) {
        for (JsonNode c : page.path("check_runs")) {
          out.add(new CheckRun(c.path("name").asText(), c.path("status").asText(), c.path("conclusion").isTextual() ? c.path("conclusion").asText() : null));
        }
      }
    } catch (ProviderException e) {
      if (e.status() == 404) return List.of();
      throw e;
    }
    return out;
  }

  /**
   * Posts {@code body} on pull request {@code pr}, or edits the comment posted before: the first
   * comment (over every page) whose body holds {@code marker} is PATCHed in place. The marker is
   * added to the body when missing. Returns the comment's id.
   */
  @Override
  public long upsertComment(String repo, int pr, String marker, String body) throws ProviderException {
    String text = body.contains(marker) ? body : marker + "\n" + body;
    ObjectNode payload = json.createObjectNode().put("body", text);
    OptionalLong existing = findComment(repo, pr, marker);
    if (existing.isPresent()) {
      send("update comment " + existing.getAsLong() + " on " + repo + "#" + pr, "PATCH",
          path(repo, "issues", "comments", Long.toString(existing.getAsLong())), payload);
      return existing.getAsLong();
    }
    JsonNode created = send("comment on " + repo + "#" + pr, "POST", path(repo, "issues", Integer.toString(pr), "comments"), payload).body();
    return created.path("id").asLong();
  }

  /**
   * The newest pull request from {@code head}, in any state: {@code GET /repos/{owner}/{repo}/pulls?head=OWNER:BRANCH&state=all}
   * (the owner qualifies the branch, so a fork's branch of the same name is not taken).
   */
  @Override
  public Optional<PullRequest> findPullRequest(String repo, String head) throws ProviderException {
    String owner = repo.substring(0, Math.max(repo.indexOf('/'), 0));
    String query = "?head=" + enc(owner + ":" + head) + "&state=all&sort=created&direction=desc&per_page=100";
    for (JsonNode page : pages("find the pull request from " + head + " on " + repo, path(repo, "pulls") + query)) {
      for (JsonNode pr : page) {
        // Gitea and Forgejo ignore the head filter: check the branch here.
        if (head.equals(pr.path("head").path("ref").asText())) return Optional.of(pullRequest(pr));
      }
    }
    return Optional.empty();
  }

  /** Opens a pull request: {@code POST /repos/{owner}/{repo}/pulls} with {@code title}, {@code head}, {@code base}, {@code body}. */
  @Override
  public PullRequest openPullRequest(String repo, String head, String base, String title, String body) throws ProviderException {
    ObjectNode payload = json.createObjectNode().put("title", title).put("head", head).put("base", base).put("body", body);
    return pullRequest(send("open a pull request from " + head + " into " + base + " on " + repo, "POST", path(repo, "pulls"), payload).body());
  }

  private static PullRequest pullRequest(JsonNode pr) {
    String state = pr.path("merged_at").isTextual() ? "merged" : pr.path("state").asText("open");
    return new PullRequest(pr.path("number").asInt(), pr.path("html_url").asText(""), state);
  }

  private OptionalLong findComment(String repo, int pr, String marker) throws ProviderException {
    for (JsonNode page : pages("list the comments of " + repo + "#" + pr, path(repo, "issues", Integer.toString(pr), "comments") + "?per_page=100")) {
      for (JsonNode c : page) {
        if (c.path("body").asText("").contains(marker)) return OptionalLong.of(c.path("id").asLong());
      }
    }
    return OptionalLong.empty();
  }

  private static String path(String repo, String... parts) {
    int slash = repo.indexOf('/');
    if (slash <= 0 || slash != repo.lastIndexOf('/') || slash == repo.length() - 1) {
      throw new IllegalArgumentException("a repository is OWNER/NAME, not " + repo);
    }
    StringBuilder b = new StringBuilder("/repos/").append(enc(repo.substring(0, slash))).append('/').append(enc(repo.substring(slash + 1)));
    for (String p : parts) b.append('/').append(enc(p));
    return b.toString();
  }

  private static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Every page of a list, following {@code Link: rel="next"} (only to this API: the token goes nowhere else). */
  private List<JsonNode> pages(String doing, String firstPath) throws ProviderException {
    List<JsonNode> pages = new ArrayList<>();
    URI next = URI.create(base + firstPath);
    while (next != null && pages.size() < MAX_PAGES) {
      Answer answer = call(doing, "GET", next, null);
      pages.add(answer.body());
      next = answer.next().filter(u -> u.toString().startsWith(base + "/")).orElse(null);
    }
    return pages;
  }

  private Answer send(String doing, String method, String path, JsonNode body) throws ProviderException {
    return call(doing, method, URI.create(base + path), body);
  }

  private record Answer(JsonNode body, Optional<URI> next) {}

  private Answer call(String doing, String method, URI uri, JsonNode body) throws ProviderException {
    JsonCalls.Answer answer = calls.call(doing, method, uri, body);
    return new Answer(answer.body(), next(answer.headers()));
  }

  private static Optional<URI> next(java.net.http.HttpHeaders headers) {
    for (String link : headers.allValues("link")) {
      Matcher m = NEXT.matcher(link);
      if (m.find()) return Optional.of(URI.create(m.group(1)));
    }
    return Optional.empty();
  }
}
