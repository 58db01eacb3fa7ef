package dev.flotilla.provider.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderApi;
import dev.flotilla.provider.ProviderException;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.PullRequest;
import dev.flotilla.provider.github.GitHubApi;
import dev.flotilla.provider.github.JsonCalls;
import dev.flotilla.provider.github.Retry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitLab's REST API v4 ({@code https://gitlab.example/api/v4}): commit statuses set
 * ({@code POST /projects/:id/statuses/:sha}) and read ({@code GET
 * /projects/:id/repository/commits/:sha/statuses}, every page), and merge request notes found again
 * by a hidden marker and edited in place ({@code PUT /projects/:id/merge_requests/:iid/notes/:note_id}).
 * The project is its numeric id or its path ({@code group/fleet}, sent encoded). The token goes only in
 * the {@code PRIVATE-TOKEN} header, only to the configured API, and only over HTTPS unless plain HTTP
 * was allowed. GitLab has no check runs: its pipelines' jobs report as commit statuses.
 */
public final class GitLabApi implements ProviderApi {
  private static final Logger LOG = LoggerFactory.getLogger(GitLabApi.class);
  private static final int MAX_PAGES = 50;

  private final URI base;
  private final ProviderToken token;
  private final HttpClient http;
  private final Retry retry;
  private final GitHubApi.Sleeper sleeper;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final JsonCalls calls;

  /** {@code base} is the API root ({@code https://gitlab.com/api/v4}); {@code token} may be null for anonymous reads. */
  public GitLabApi(URI base, ProviderToken token, boolean allowPlainHttp, HttpClient http, Retry retry, GitHubApi.Sleeper sleeper, Clock clock) {
    this.base = JsonCalls.checkedBase(base, allowPlainHttp, "the GitLab API");
    this.token = token;
    this.http = http;
    this.retry = retry;
    this.sleeper = sleeper;
    this.clock = clock;
    this.calls = new JsonCalls(http, retry, sleeper, clock, b -> {
      b.header("Accept", "application/json");
      if (token != null) b.header("PRIVATE-TOKEN", token.reveal());
    });
  }

  /** A client with its own HTTP client, the default retry, and real sleeping. */
  public static GitLabApi connect(URI base, ProviderToken token, boolean allowPlainHttp) {
    return new GitLabApi(base, token, allowPlainHttp, JsonCalls.defaultClient(), Retry.DEFAULT, d -> Thread.sleep(d.toMillis()), Clock.systemUTC());
  }

  /** The same client with another retry policy. */
  public GitLabApi withRetry(Retry other) {
    return new GitLabApi(base, token, true, http, other, sleeper, clock);
  }

  /**
   * {@code POST /projects/:id/statuses/:sha} with {@code state}, {@code name}, {@code description},
   * {@code target_url}. GitLab refuses to set a status to the state it already has (400 "Cannot
   * transition status via :enqueue from :pending"); that answer means the state is already there,
   * so it is taken as done (the description then stays the earlier one).
   */
  @Override
  public void setStatus(String project, String sha, CommitStatus status) throws ProviderException {
    ObjectNode body = json.createObjectNode().put("state", wire(status.state())).put("name", status.context());
    if (status.description() != null) body.put("description", status.description());
    if (status.targetUrl() != null) body.put("target_url", status.targetUrl());
    String doing = "set status " + status.context() + "=" + wire(status.state()) + " on project " + project + "@" + sha;
    try {
      call(doing, "POST", URI.create(base + projectPath(project) + "/statuses/" + enc(sha)), body);
    } catch (ProviderException e) {
      if (e.status() != 400 || !e.getMessage().contains("Cannot transition status")) throw e;
      LOG.debug("provider: {}: already in that state", doing);
    }
  }

  /** The latest status of each name of {@code sha}: {@code GET /projects/:id/repository/commits/:sha/statuses}, every page. */
  @Override
  public List<CommitStatus> statuses(String project, String sha) throws ProviderException {
    List<CommitStatus> out = new ArrayList<>();
    String first = projectPath(project) + "/repository/commits/" + enc(sha) + "/statuses";
    for (JsonNode page : pages("read the statuses of project " + project + "@" + sha, first)) {
      for (JsonNode s : page) {
        out.add(new CommitStatus(s.path("name").asText(), fromWire(s.path("status").asText()),
            s.path("description").isTextual() ? s.path("description").asText() : null,
            s.path("target_url").isTextual() ? s.path("target_url").asText() : null));
      }
    }
    return out;
  }

  /**
   * Posts {@code body} as a note on merge request {@code iid}, or edits the note posted before: the
   * first note (over every page) whose body holds {@code marker} is PUT in place. The marker is added
   * to the body when missing. Returns the note's id.
   */
  @Override
  public long upsertComment(String project, int iid, String marker, String body) throws ProviderException {
    String text = body.contains(marker) ? body : marker + "\n" + body;
    ObjectNode payload = json.createObjectNode().put("body", text);
    String notes = projectPath(project) + "/merge_requests/" + iid + "/notes";
    OptionalLong existing = findNote(project, iid, notes, marker);
    if (existing.isPresent()) {
      call("update note " + existing.getAsLong() + " on project " + project + "!" + iid, "PUT",
          URI.create(base + notes + "/" + existing.getAsLong()), payload);
      return existing.getAsLong();
    }
    return call("add a note on project " + project + "!" + iid, "POST", URI.create(base + notes), payload).body().path("id").asLong();
  }

  /** The newest merge request from {@code sourceBranch}, in any state: {@code GET /projects/:id/merge_requests?source_branch=…&state=all}. */
  @Override
  public Optional<PullRequest> findPullRequest(String project, String sourceBranch) throws ProviderException {
    String list = projectPath(project) + "/merge_requests";
    String doing = "find the merge request from " + sourceBranch + " on project " + project;
    JsonNode page = call(doing, "GET", URI.create(base + list + "?source_branch=" + enc(sourceBranch)
        + "&state=all&order_by=created_at&sort=desc&per_page=100"), null).body();
    for (JsonNode mr : page) {
      if (sourceBranch.equals(mr.path("source_branch").asText())) return Optional.of(mergeRequest(mr));
    }
    return Optional.empty();
  }

  /**
   * Opens a merge request: {@code POST /projects/:id/merge_requests} with {@code source_branch},
   * {@code target_branch}, {@code title}, {@code description} and {@code remove_source_branch}.
   */
  @Override
  public PullRequest openPullRequest(String project, String sourceBranch, String targetBranch, String title, String description)
      throws ProviderException {
    ObjectNode payload = json.createObjectNode().put("source_branch", sourceBranch).put("target_branch", targetBranch)
        .put("title", title).put("description", description).put("remove_source_branch", true);
    return mergeRequest(call("open a merge request from " + sourceBranch + " into " + targetBranch + " on project " + project, "POST",
        URI.create(base + projectPath(project) + "/merge_requests"), payload).body());
  }

  private static PullRequest mergeRequest(JsonNode mr) {
    return new PullRequest(mr.path("iid").asInt(), mr.path("web_url").asText(""), mr.path("state").asText("opened"));
  }

  private OptionalLong findNote(String project, int iid, String notes, String marker) throws ProviderException {
    for (JsonNode page : pages("list the notes of project " + project + "!" + iid, notes)) {
      for (JsonNode n : page) {
        if (!n.path("system").asBoolean(false) && n.path("body").asText("").contains(marker)) return OptionalLong.of(n.path("id").asLong());
      }
    }
    return OptionalLong.empty();
  }

  /** A commit state as GitLab spells it: an engine error (aborted, superseded) is {@code canceled}. */
  static String wire(CommitState state) {
    return switch (state) {
      case PENDING -> "pending";
      case SUCCESS -> "success";
      case FAILURE -> "failed";
      case ERROR -> "canceled";
    };
  }

  /**
   * GitLab's status as a commit state: not finished yet ({@code created}, {@code waiting_for_resource},
   * {@code preparing}, {@code pending}, {@code running}, {@code manual}, {@code scheduled}) is pending;
   * {@code skipped} passes (as a skipped check run does on GitHub); {@code canceled} is an error.
   */
  static CommitState fromWire(String status) {
    return switch (status) {
      case "success", "skipped" -> CommitState.SUCCESS;
      case "failed" -> CommitState.FAILURE;
      case "canceled" -> CommitState.ERROR;
      default -> CommitState.PENDING;
    };
  }

  private static String projectPath(String project) {
    if (project == null || project.isBlank()) throw new IllegalArgumentException("a GitLab project is its id or its path, not empty");
    return "/projects/" + enc(project);
  }

  private static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Every page of a list, following {@code X-Next-Page} (offset pagination, 100 a page) on this API only. */
  private List<JsonNode> pages(String doing, String path) throws ProviderException {
    List<JsonNode> pages = new ArrayList<>();
    String next = "1";
    while (next != null && pages.size() < MAX_PAGES) {
      Answer answer = call(doing, "GET", URI.create(base + path + "?per_page=100&page=" + enc(next)), null);
      pages.add(answer.body());
      next = answer.nextPage().orElse(null);
    }
    return pages;
  }

  private record Answer(JsonNode body, Optional<String> nextPage) {}

  private Answer call(String doing, String method, URI uri, JsonNode body) throws ProviderException {
    JsonCalls.Answer answer = calls.call(doing, method, uri, body);
    Optional<String> next = answer.headers().firstValue("x-next-page").map(String::strip).filter(p -> p.matches("\\d+"));
    return new Answer(answer.body(), next);
  }
}
