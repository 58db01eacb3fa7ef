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

/**
 * The CLI's client of the engine's REST API ({@code /api/v1}). With a token, every request carries
 * {@code Authorization: Bearer}; a token is never sent over plain {@code http://} to a host other
 * than loopback unless insecure HTTP is allowed ({@code --allow-insecure-http}).
 */
final class ApiClient {
  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(String server) throws IOException {
    this(server, null, false);
  }

  ApiClient(String server, String token, boolean allowInsecureHttp) throws IOException {
    try {
      this.base = URI.create(server.endsWith("/") ? server : server + "/");
    } catch (IllegalArgumentException e) {
      throw new IOException("--server must be a URL like http://127.0.0.1:8080, got '" + server + "'");
    }
    if (base.getHost() == null || !(List.of("http", "https").contains(String.valueOf(base.getScheme())))) {
      throw new IOException("--server must be an http:// or https:// URL, got '" + server + "'");
    }
    if (token != null && base.getScheme().equals("http") && !allowInsecureHttp && !isLoopback(base.getHost())) {
      throw new IOException("refusing to send the API token over plain http:// to " + base.getHost()
          + " (anyone on the way could read it): use https://, or --allow-insecure-http if this network is trusted");
    }
    this.token = token;
  }

  private static boolean isLoopback(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) return true;
    try {
      // Only literal addresses count: a name is not resolved here, so DNS cannot make it "loopback".
      return (bare.matches("[0-9.]+") || bare.contains(":")) && java.net.InetAddress.getByName(bare).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
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
    HttpRequest request = request("api/v1/rollouts/" + encode(id) + "/" + command)
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

  /** The trust version the engine serves to agents, and what every site acknowledged. */
  dev.flotilla.api.TrustRoutes.Acknowledged trust() throws IOException {
    return get("api/v1/trust", new TypeReference<>() {});
  }

  private <T> T get(String path, TypeReference<T> type) throws IOException {
    HttpRequest request = request(path).GET().build();
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
