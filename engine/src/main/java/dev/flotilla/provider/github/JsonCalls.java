package dev.flotilla.provider.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.provider.ProviderException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON calls to a Git provider's REST API, as the GitHub-compatible and GitLab adapters make them:
 * each retried by {@link Retry} (waits through a {@link GitHubApi.Sleeper}), an answer that is not
 * 2xx becomes a {@link ProviderException} naming what was being done, the path and a brief of the
 * body. The provider's own headers (authentication, media type) come from {@code headers}.
 */
public final class JsonCalls {
  private static final Logger LOG = LoggerFactory.getLogger(JsonCalls.class);

  /** A 2xx answer: its body (an empty object for none) and its headers (paging). */
  public record Answer(JsonNode body, HttpHeaders headers) {}

  private final HttpClient http;
  private final Retry retry;
  private final GitHubApi.Sleeper sleeper;
  private final Clock clock;
  private final Consumer<HttpRequest.Builder> headers;
  private final ObjectMapper json = new ObjectMapper();

  public JsonCalls(HttpClient http, Retry retry, GitHubApi.Sleeper sleeper, Clock clock, Consumer<HttpRequest.Builder> headers) {
    this.http = http;
    this.retry = retry;
    this.sleeper = sleeper;
    this.clock = clock;
    this.headers = headers;
  }

  /** {@code base} without a trailing slash; refused unless https, or http explicitly allowed. */
  public static URI checkedBase(URI base, boolean allowPlainHttp, String what) {
    String scheme = base.getScheme();
    if (!"https".equals(scheme) && !("http".equals(scheme) && allowPlainHttp)) {
      throw new IllegalArgumentException(what + " " + base + " is not https (allow plain http explicitly to use it)");
    }
    String text = base.toString();
    return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  /** The HTTP client of an adapter that makes its own: 10 s to connect, no redirects followed. */
  public static HttpClient defaultClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public Answer call(String doing, String method, URI uri, JsonNode body) throws ProviderException {
    HttpRequest request = request(method, uri, body);
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        if (attempt >= retry.attempts()) throw new ProviderException(doing + ": " + method + " " + uri.getRawPath() + " failed: " + e, 0, e);
        pause(doing, attempt, retry.waitAfter(attempt, Optional.empty(), clock), e.toString());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderException(doing + ": interrupted", 0, e);
      }
      int status = response.statusCode();
      if (status / 100 == 2) return new Answer(parse(doing, response), response.headers());
      if (attempt >= retry.attempts() || !Retry.retryable(response)) {
        throw new ProviderException(doing + ": " + method + " " + uri.getRawPath() + " answered " + status + ": " + brief(response.body()), status);
      }
      pause(doing, attempt, retry.waitAfter(attempt, Optional.of(response), clock), "HTTP " + status);
    }
  }

  private void pause(String doing, int attempt, Duration wait, String why) throws ProviderException {
    LOG.info("provider: {} (try {}/{}): {}; again in {} ms", doing, attempt, retry.attempts(), why, wait.toMillis());
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(doing + ": interrupted while waiting to try again", 0, e);
    }
  }

  private HttpRequest request(String method, URI uri, JsonNode body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("User-Agent", "flotilla");
    headers.accept(b);
    if (body == null) return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
    return b.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
  }

  private JsonNode parse(String doing, HttpResponse<String> response) throws ProviderException {
    if (response.body() == null || response.body().isBlank()) return json.createObjectNode();
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new ProviderException(doing + ": the answer is not JSON: " + brief(response.body()), response.statusCode(), e);
    }
  }

  static String brief(String body) {
    if (body == null) return "";
    String one = body.replaceAll("\\s+", " ");
    return one.length() > 300 ? one.substring(0, 300) + "…" : one;
  }
}
