package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a command's body may hold: a bad one is a 400 naming the field, and never reaches the engine. */
class ApiBodyValidationTest {
  static ApiFixture api;
  static String operator;

  @BeforeAll
  static void start() throws Exception {
    api = new ApiFixture();
    operator = api.token("otto", Role.OPERATOR);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  HttpResponse<String> pause(String body) throws Exception {
    return api.send("POST", "/api/v1/rollouts/web@1/pause", operator, "application/json", body);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "null                          | body must be a JSON object",
      "[]                            | got an array",
      "`\"pause\"`                   | got a string",
      "{                             | not valid JSON",
      "`{\"actr\":\"otto\"}`         | unknown field 'actr'",
      "`{\"at\":12}`                 | field 'at' must be a string, got a number",
      "`{\"at\":\"tomorrow\"}`       | field 'at' must be an ISO-8601 instant",
      "`{\"comment\":5}`             | field 'comment' must be a string",
      "`{\"wave\":[\"canary\"]}`     | field 'wave' must be a string, got an array",
      "`{\"comment\":{\"a\":1}}`     | got an object",
      "`{\"actor\":true}`            | field 'actor' must be a string, got a boolean",
  })
  void aMalformedBodyIsA400NamingWhatIsWrong(String body, String reason) throws Exception {
    int before = api.ops.calls.size();

    HttpResponse<String> response = pause(body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode json = Json.mapper().readTree(response.body());
    assertThat(json.path("error").asText()).isEqualTo("bad-request");
    assertThat(json.path("reason").asText()).contains(reason);
    assertThat(api.ops.calls).hasSize(before);
  }

  @Test
  void fieldsAreBounded() throws Exception {
    try (ApiFixture open = new ApiFixture()) {
      HttpResponse<String> longActor = open.send("POST", "/api/v1/rollouts/web@1/pause", null, "application/json",
          "{\"actor\":\"" + "a".repeat(201) + "\"}");
      HttpResponse<String> fineActor = open.send("POST", "/api/v1/rollouts/web@1/pause", null, "application/json",
          "{\"actor\":\"" + "a".repeat(200) + "\"}");

      assertThat(longActor.statusCode()).isEqualTo(400);
      assertThat(longActor.body()).contains("field 'actor' must be at most 200 characters");
      assertThat(fineActor.statusCode()).isEqualTo(404); // reached the (empty) engine
    }
    HttpResponse<String> longComment = pause("{\"comment\":\"" + "é".repeat(2049) + "\"}"); // 4098 bytes
    HttpResponse<String> fineComment = pause("{\"comment\":\"" + "x".repeat(4096) + "\"}");

    assertThat(longComment.statusCode()).isEqualTo(400);
    assertThat(longComment.body()).contains("field 'comment' must be at most 4 KiB");
    assertThat(fineComment.statusCode()).isEqualTo(404);
  }

  @Test
  void aHugeBodyIsA413InTheJsonShape() throws Exception {
    HttpResponse<String> response = pause("{\"comment\":\"" + "x".repeat(200_000) + "\"}");

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Json.mapper().readTree(response.body()).path("error").asText()).isNotEmpty();
  }

  @Test
  void anEmptyBodyAndAnEmptyObjectAreACommandWithoutComment() throws Exception {
    api.ops.requests.clear();
    assertThat(pause("").statusCode()).isEqualTo(404);
    assertThat(pause("{}").statusCode()).isEqualTo(404);
    assertThat(pause("{\"comment\":null,\"at\":\"2026-12-01T10:00:00Z\"}").statusCode()).isEqualTo(404);

    assertThat(api.ops.requests).extracting(r -> r.actor()).containsExactly("otto", "otto", "otto");
    assertThat(api.ops.requests.get(2).at()).hasToString("2026-12-01T10:00:00Z");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "DELETE | /api/v1/rollouts     | 405",
      "PUT    | /api/v1/sync         | 405",
      "GET    | /api/v1/nothing-here | 404",
      "GET    | /nothing             | 404",
  })
  void theServersOwnErrorsHaveTheJsonShapeToo(String method, String path, int status) throws Exception {
    HttpResponse<String> response = api.send(method, path, operator, null, null);

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode json = Json.mapper().readTree(response.body());
    assertThat(json.path("error").asText()).isNotEmpty();
    assertThat(json.has("reason")).isTrue();
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
  }

  @Test
  void aQueryNumberThatIsNotANumberIsA400() throws Exception {
    HttpResponse<String> response = api.send("GET", "/api/v1/audit?limit=ten", operator, null, null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("limit");
  }
}
