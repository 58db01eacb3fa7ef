package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.ConflictException;
import dev.flotilla.engine.NotFoundException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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



  /** Requests Jetty refuses before any route runs; each answered in the API's JSON shape, not Jetty's HTML page. */
  static Stream<Arguments> requestsJettyRefusesItself() {
    String host = "Host: 127.0.0.1\r\nConnection: close\r\n";
    return Stream.of(
        Arguments.of("a URI over 8 KiB", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n", 414, "uri-too-long"),
        Arguments.of("headers over 8 KiB", "GET /api/v1/health HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(20_000) + "\r\n\r\n", 431,
            "request-header-fields-too-large"),
        Arguments.of("no request line", "GARBAGE\r\n\r\n", 400, "bad-request"),
        Arguments.of("a bad percent escape", "GET /%zz HTTP/1.1\r\n" + host + "\r\n", 400, "bad-request"),
        Arguments.of("a path climbing above the root", "GET /../../etc/passwd HTTP/1.1\r\n" + host + "\r\n", 400, "bad-request"),
        Arguments.of("an unknown HTTP version", "GET /api/v1/health HTTP/7.0\r\n" + host + "\r\n", 505, "http-version-not-supported"),
        Arguments.of("no Host header", "GET /api/v1/health HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "bad-request"),
        Arguments.of("a Content-Length that is not a number",
            "POST /test/conflict HTTP/1.1\r\n" + host + "Content-Length: abc\r\n\r\n", 400, "bad-request"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("requestsJettyRefusesItself")
  void errorsJettyAnswersItselfAreJsonInTheSameShape(String what, String request, int status, String error) throws Exception {
    String response;
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    assertThat(response).startsWith("HTTP/1.1 " + status + " ");
    String head = response.substring(0, response.indexOf("\r\n\r\n"));
    assertThat(head.lines()).anyMatch(line -> line.equalsIgnoreCase("Content-Type: application/json"));
    JsonNode body = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    assertThat(body.get("error").asText()).isEqualTo(error);
    assertThat(body.get("reason").asText()).isNotBlank().doesNotContain("<");
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10))
        .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
