package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every route of the API for every role and without a token: who gets in, and that a refusal changes nothing. */
class ApiAccessTest {
  static ApiFixture api;
  static Map<String, String> tokenOf;

  /** A route, the role it needs (null: anyone), and the status it answers once let in (the fixture's service has no rollouts). */
  record Route(String method, String path, String body, Role needs, int admitted) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final List<Route> ROUTES = List.of(
      new Route("GET", "/api/v1/health", null, null, 200),
      new Route("GET", "/api/v1/rollouts", null, Role.VIEWER, 200),
      new Route("GET", "/api/v1/rollouts/web@1", null, Role.VIEWER, 404),
      new Route("GET", "/api/v1/sites", null, Role.VIEWER, 200),
      new Route("GET", "/api/v1/audit", null, Role.VIEWER, 200),
      new Route("GET", "/api/v1/sync", null, Role.VIEWER, 200),
      new Route("GET", "/api/v1/quarantine", null, Role.VIEWER, 200),
      new Route("GET", "/api/v1/releases?app=web", null, Role.VIEWER, 200),
      new Route("POST", "/api/v1/sync", "{}", Role.OPERATOR, 200),
      new Route("POST", "/api/v1/rollouts/web@1/pause", "{}", Role.OPERATOR, 404),
      new Route("POST", "/api/v1/rollouts/web@1/resume", "{}", Role.OPERATOR, 404),
      new Route("POST", "/api/v1/rollouts/web@1/approve", "{\"comment\":\"ok\"}", Role.OPERATOR, 404),
      new Route("POST", "/api/v1/rollouts/web@1/promote", "{}", Role.OPERATOR, 404),
      new Route("POST", "/api/v1/rollouts/web@1/rollback", "{}", Role.OPERATOR, 404),
      new Route("POST", "/api/v1/rollouts/web@1/abort", "{}", Role.OPERATOR, 404),
      new Route("GET", "/api/v1/tokens", null, Role.ADMIN, 200),
      new Route("POST", "/api/v1/tokens", "{\"name\":\"made-by-test\",\"role\":\"viewer\"}", Role.ADMIN, 201),
      new Route("DELETE", "/api/v1/tokens/nobody", null, Role.ADMIN, 404));

  /** Callers: none, a token nobody issued, and one token per role. */
  static final List<String> CALLERS = List.of("none", "forged", "viewer", "operator", "admin");

  @BeforeAll
  static void start() throws Exception {
    api = new ApiFixture();
    tokenOf = Map.of("viewer", api.token("vera", Role.VIEWER), "operator", api.token("otto", Role.OPERATOR),
        "admin", api.token("ada", Role.ADMIN), "forged", "flt_" + "A".repeat(43));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static Stream<Arguments> everyRouteForEveryCaller() {
    List<Arguments> cases = new ArrayList<>();
    for (Route r : ROUTES) for (String caller : CALLERS) cases.add(Arguments.of(r, caller));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("everyRouteForEveryCaller")
  void eachRouteLetsInExactlyTheRolesThatCoverIt(Route route, String caller) throws Exception {
    int tokensBefore = api.tokens.list().size();
    int callsBefore = api.ops.calls.size();

    HttpResponse<String> response = api.send(route.method(), route.path(), tokenOf.get(caller),
        route.body() == null ? null : "application/json", route.body());

    int expected = expected(route, caller);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    JsonNode body = Json.mapper().readTree(response.body());
    if (expected >= 400) assertThat(body.path("error").asText()).isNotEmpty();
    if (expected == 401 || expected == 403) {
      assertThat(api.ops.calls).hasSize(callsBefore);
      assertThat(api.tokens.list()).hasSize(tokensBefore);
      assertThat(response.body()).doesNotContain("flt_");
    }
    if (expected == 401) assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    if (route.method().equals("POST") && route.path().equals("/api/v1/tokens") && expected == 201) {
      api.tokens.revoke("made-by-test", "test"); // the next admin case creates it again
    }
  }

  private static int expected(Route route, String caller) {
    if (route.needs() == null) return route.admitted();
    return switch (caller) {
      case "none", "forged" -> 401;
      default -> Role.valueOf(caller.toUpperCase()).covers(route.needs()) ? route.admitted() : 403;
    };
  }

  @Test
  void theActorOfACommandIsTheTokensNameNeverTheBodys() throws Exception {
    api.ops.requests.clear();
    HttpResponse<String> named = api.send("POST", "/api/v1/rollouts/web@1/pause", tokenOf.get("operator"), "application/json", "{}");
    HttpResponse<String> impostor = api.send("POST", "/api/v1/rollouts/web@1/pause", tokenOf.get("operator"), "application/json",
        "{\"actor\":\"alice\"}");

    assertThat(named.statusCode()).isEqualTo(404);
    assertThat(api.ops.requests).extracting(r -> r.actor()).containsExactly("otto");
    assertThat(impostor.statusCode()).isEqualTo(400);
    assertThat(impostor.body()).contains("'actor'");
  }

  @Test
  void aBodyActorThatIsTheTokensNameIsAccepted() throws Exception {
    api.ops.requests.clear();
    api.send("POST", "/api/v1/rollouts/web@1/pause", tokenOf.get("operator"), "application/json", "{\"actor\":\"otto\"}");

    assertThat(api.ops.requests).extracting(r -> r.actor()).containsExactly("otto");
  }

  @Test
  void aCommandThatIsNotJsonIsRefusedWith415AndReachesNothing() throws Exception {
    int before = api.ops.calls.size();
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
      HttpResponse<String> response = api.send("POST", "/api/v1/rollouts/web@1/pause", tokenOf.get("operator"), type, "{}");
      assertThat(response.statusCode()).as(String.valueOf(type)).isEqualTo(415);
      assertThat(Json.mapper().readTree(response.body()).path("error").asText()).isEqualTo("unsupported-media-type");
    }
    assertThat(api.ops.calls).hasSize(before);
  }

  @Test
  void aRevokedTokenIsRefused() throws Exception {
    String secret = api.token("short-lived", Role.OPERATOR);
    assertThat(api.send("GET", "/api/v1/rollouts", secret, null, null).statusCode()).isEqualTo(200);

    api.tokens.revoke("short-lived", "test");

    assertThat(api.send("GET", "/api/v1/rollouts", secret, null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void basicAuthIsNotAToken() throws Exception {
    HttpResponse<String> response = api.send("GET", "/api/v1/rollouts", null, null, null);
    String basic = api.raw("GET", "/api/v1/rollouts", "127.0.0.1", "Authorization: Basic " + java.util.Base64.getEncoder()
        .encodeToString(("x:" + tokenOf.get("admin")).getBytes()));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(basic).startsWith("HTTP/1.1 401");
  }

  @Test
  void aForeignHostHeaderIsRefusedEvenForHealth() throws Exception {
    String rebound = api.raw("GET", "/api/v1/health", "attacker.example:8080");
    String local = api.raw("GET", "/api/v1/health", "localhost:8080");

    assertThat(rebound).startsWith("HTTP/1.1 421");
    assertThat(rebound).contains("\"error\":\"misdirected-request\"");
    assertThat(local).startsWith("HTTP/1.1 200");
  }

  @Test
  void aForeignHostHeaderCannotSteerARolloutEvenWithAToken() throws Exception {
    int before = api.ops.calls.size();
    String response = api.raw("POST", "/api/v1/rollouts/web@1/pause", "attacker.example",
        "Authorization: Bearer " + tokenOf.get("operator"), "Content-Type: application/json", "Origin: http://attacker.example");

    assertThat(response).startsWith("HTTP/1.1 421");
    assertThat(api.ops.calls).hasSize(before);
  }

  @Test
  void noCorsHeadersAreSentEvenToAPreflight() throws Exception {
    String preflight = api.raw("OPTIONS", "/api/v1/rollouts/web@1/pause", "127.0.0.1", "Origin: http://attacker.example",
        "Access-Control-Request-Method: POST");
    String get = api.raw("GET", "/api/v1/health", "127.0.0.1", "Origin: http://attacker.example");

    assertThat(preflight.toLowerCase()).doesNotContain("access-control-allow");
    assertThat(get.toLowerCase()).doesNotContain("access-control-allow");
  }

  @Test
  void theHealthRouteNeedsNoToken() throws Exception {
    HttpResponse<String> response = api.send("GET", "/api/v1/health", null, null, null);

    assertThat(response.statusCode()).isEqualTo(200);
  }
}
