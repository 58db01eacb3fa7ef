package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** An engine without any token: open on loopback (the laptop default), closed elsewhere; and the agents' routes. */
class ApiOpenModeTest {

  @Test
  void aLoopbackEngineWithoutTokensIsOpenAndCallsTheCallerLocal() throws Exception {
    try (ApiFixture api = new ApiFixture()) {
      assertThat(api.send("GET", "/api/v1/rollouts", null, null, null).statusCode()).isEqualTo(200);
      api.send("POST", "/api/v1/rollouts/web@1/pause", null, "application/json", "{}");
      api.send("POST", "/api/v1/rollouts/web@1/pause", null, "application/json", "{\"actor\":\"alice\"}");

      assertThat(api.ops.requests).extracting(r -> r.actor()).containsExactly("local", "alice");
    }
  }

  @Test
  void onceOneTokenExistsALoopbackEngineNeedsTokens() throws Exception {
    try (ApiFixture api = new ApiFixture()) {
      api.token("ada", Role.ADMIN);

      assertThat(api.send("GET", "/api/v1/rollouts", null, null, null).statusCode()).isEqualTo(401);
      assertThat(api.send("POST", "/api/v1/rollouts/web@1/pause", null, "application/json", "{}").statusCode()).isEqualTo(401);
      assertThat(api.ops.calls).isEmpty();
    }
  }

  @Test
  void aNonLoopbackEngineWithoutTokensIsClosed() throws Exception {
    try (ApiFixture api = new ApiFixture("0.0.0.0", List.of(), null)) {
      assertThat(api.send("GET", "/api/v1/rollouts", null, null, null).statusCode()).isEqualTo(401);
      assertThat(api.send("POST", "/api/v1/sync", null, "application/json", "{}").statusCode()).isEqualTo(401);
      assertThat(api.ops.calls).isEmpty();
    }
  }

  @Test
  void namesGivenWithAllowedHostAreAccepted() throws Exception {
    try (ApiFixture api = new ApiFixture("127.0.0.1", List.of("flotilla.example.com"), null)) {
      assertThat(api.raw("GET", "/api/v1/health", "flotilla.example.com:8080")).startsWith("HTTP/1.1 200");
      assertThat(api.raw("GET", "/api/v1/health", "[::1]:8080")).startsWith("HTTP/1.1 200");
      assertThat(api.raw("GET", "/api/v1/health", "other.example.com")).startsWith("HTTP/1.1 421");
    }
  }

  @Test
  void theAgentsRoutesAreLeftToTheirOwnCheckButSitesIsNot() throws Exception {
    RouteTable agents = routes -> {
      routes.post(ApiRoutes.PREFIX + "/sites/{site}/reports", ctx -> ctx.json(java.util.Map.of("agent", "ok")));
      routes.get(ApiRoutes.PREFIX + "/sites/{site}/bundles/{release}", ctx -> ctx.json(java.util.Map.of("agent", "ok")));
      routes.get(ApiRoutes.PREFIX + "/sites/{site}/other", ctx -> ctx.json(java.util.Map.of("agent", "no")));
    };
    try (ApiFixture api = new ApiFixture("127.0.0.1", List.of(), agents)) {
      api.token("ada", Role.ADMIN);

      assertThat(api.send("POST", "/api/v1/sites/pos-1/reports", null, "application/octet-stream", "x").statusCode()).isEqualTo(200);
      assertThat(api.send("GET", "/api/v1/sites/pos-1/bundles/web@1", null, null, null).statusCode()).isEqualTo(200);
      assertThat(api.send("GET", "/api/v1/sites/pos-1/other", null, null, null).statusCode()).isEqualTo(401);
      assertThat(api.send("GET", "/api/v1/sites", null, null, null).statusCode()).isEqualTo(401);
    }
  }
}
