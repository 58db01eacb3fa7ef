package dev.flotilla.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.engine.view.AuditView;
import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.api.Json;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.SiteView;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The CLI's client of the engine's REST API ({@code /api/v1}). */
final class ApiClient {
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(String server) {
    this.base = URI.create(server.endsWith("/") ? server : server + "/");
  }

  /** A request the server refused or could not serve; the message carries its reason. */
  static final class ApiException extends IOException {
    final int status;

    ApiException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  List<RolloutView> rollouts() throws IOException {
    return get("api/v1/rollouts", new TypeReference<>() {});
  }

  RolloutView rollout(String id) throws IOException {
    return get("api/v1/rollouts/" + encode(id), new TypeReference<>() {});
  }

  RolloutView command(String id, String command, CommandRequest body) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/rollouts/" + encode(id) + "/" + command))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)))
        .build();
    return Json.mapper().readValue(send(request), RolloutView.class);
  }

  List<SiteView> sites() throws IOException {
    return get("api/v1/sites", new TypeReference<>() {});
  }

  List<AuditView> audit(String rolloutId, int limit) throws IOException {
    String query = "api/v1/audit?limit=" + limit + (rolloutId == null ? "" : "&rollout=" + encode(rolloutId));
    return get(query, new TypeReference<>() {});
  }

  private <T> T get(String path, TypeReference<T> type) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build();
    return Json.mapper().readValue(send(request), type);
  }

  private String send(HttpRequest request) throws IOException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + request.uri(), e);
    } catch (IOException e) {
      throw new IOException("cannot reach the Flotilla server at " + base + " (" + e.getMessage() + ")", e);
    }
    if (response.statusCode() / 100 != 2) {
      String reason = response.body();
      try {
        JsonNode error = Json.mapper().readTree(response.body());
        reason = error.path("reason").asText(error.path("error").asText(response.body()));
      } catch (IOException notJson) {
        // keep the raw body as the reason
      }
      throw new ApiException(response.statusCode(), "HTTP " + response.statusCode() + ": " + reason);
    }
    return response.body();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
