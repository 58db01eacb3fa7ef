package dev.flotilla.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The analysis gate's adapter: evaluates a PromQL query against a Prometheus-compatible HTTP API
 * ({@code POST /api/v1/query}, form-encoded, so thousands of site names fit) over a wave's sites. {@code $SITES} in the query becomes a regex
 * alternation of the wave's site names, for use as {@code {site=~"$SITES"}}. The value is the
 * first sample of a vector result, or a scalar; an empty result is "no value" (the gate waits).
 */
public final class PrometheusAnalysis {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  public PrometheusAnalysis(String baseUrl, Duration timeout) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** A query that could not be evaluated: the gate waits and the reason is shown. */
  public static final class AnalysisException extends Exception {
    public AnalysisException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public OptionalDouble evaluate(String query, List<String> sites) throws AnalysisException {
    // Site names are DNS-1123 labels: letters, digits and '-', none of them special in a regex.
    String promql = query.replace("$SITES", String.join("|", sites));
    URI uri = base.resolve("api/v1/query");
    String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new AnalysisException("query failed at " + base + " (HTTP " + response.statusCode() + "): "
            + body.path("error").asText(response.body()), null);
      }
      return value(body.path("data"));
    } catch (IOException e) {
      throw new AnalysisException("cannot reach Prometheus at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnalysisException("interrupted while querying " + base, e);
    }
  }

  static OptionalDouble value(JsonNode data) {
    JsonNode sample = switch (data.path("resultType").asText()) {
      case "vector" -> data.path("result").path(0).path("value");
      case "scalar" -> data.path("result");
      default -> null;
    };
    if (sample == null || !sample.isArray() || sample.size() < 2) return OptionalDouble.empty();
    try {
      return OptionalDouble.of(Double.parseDouble(sample.get(1).asText()));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }
}
