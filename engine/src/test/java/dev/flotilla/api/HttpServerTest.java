package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.ConflictException;
import dev.flotilla.engine.NotFoundException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static HttpServer server;

  @BeforeAll
  static void start() {
    RouteTable failing = routes -> {
      routes.post("/test/conflict", ctx -> {
        throw new ConflictException("rollout pos@3f2a1c is halted; resume it first");
      });
      routes.get("/test/not-found", ctx -> {
        throw new NotFoundException("no rollout pos@000000");
      });
      routes.get("/test/bad-request", ctx -> {
        throw new BadRequestException("field 'wave' is missing");
      });
      routes.get("/test/bug", ctx -> {
        throw new IllegalStateException("secret internal detail");
      });
    };
    RouteTable api = new ApiRoutes();
    server = HttpServer.start("127.0.0.1", 0, routes -> {
      api.addTo(routes);
      failing.addTo(routes);
    }, JSON);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void startsOnAFreePortWhenAskedForPortZero() {
    assertThat(server.port()).isPositive();
    assertThat(server.uri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port()));
  }

  @Test
  void healthIsOk() throws Exception {
    HttpResponse<String> response = send("GET", "/api/v1/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"ok\"}"));
  }

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @CsvSource(delimiter = '|', value = {
      "POST | /test/conflict    | 409 | conflict    | rollout pos@3f2a1c is halted; resume it first",
      "GET  | /test/not-found   | 404 | not-found   | no rollout pos@000000",
      "GET  | /test/bad-request | 400 | bad-request | field 'wave' is missing",
      "GET  | /test/bug         | 500 | internal    | internal server error; the server log has the details",
  })
  void errorsBecomeJsonWithTheirStatus(String method, String path, int status, String error, String reason) throws Exception {
    HttpResponse<String> response = send(method, path);

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("error").asText()).isEqualTo(error);
    assertThat(body.get("reason").asText()).isEqualTo(reason);
    assertThat(response.body()).doesNotContain("secret internal detail");
  }

  @Test
  void anUnknownRouteIsA404InTheSameShape() throws Exception {
    HttpResponse<String> response = send("GET", "/api/v1/nothing-here");

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("error").asText()).isEqualTo("not-found");
    assertThat(body.has("reason")).isTrue();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10))
        .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
