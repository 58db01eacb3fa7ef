package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated command bodies: the API answers a clear 400 or lets the command through (the
 * fixture's engine then says 404), never a 500, and every answer is the JSON error shape.
 */
class ApiBodyPropertyTest {
  static ApiFixture api;
  static String operator;

  private static final List<String> VALID = List.of("{}", "{\"comment\":\"canary looks fine\"}", "{\"wave\":\"canary\"}",
      "{\"at\":\"2026-12-08T02:00:00Z\",\"comment\":\"night\"}", "{\"actor\":\"otto\",\"comment\":null}");

  @BeforeContainer
  static void start() throws Exception {
    api = new ApiFixture();
    operator = api.token("otto", Role.OPERATOR);
  }

  @AfterContainer
  static void stop() {
    api.close();
  }

  record Mutation(int body, int position, String kind, String text) {}

  @Property(tries = 300)
  void aMutatedBodyIsA400OrGoesThrough(@ForAll("mutations") Mutation m) throws Exception {
    String valid = VALID.get(m.body() % VALID.size());
    int at = Math.min(m.position(), valid.length());
    String body = switch (m.kind()) {
      case "insert" -> valid.substring(0, at) + m.text() + valid.substring(at);
      case "delete" -> valid.substring(0, at) + valid.substring(Math.min(valid.length(), at + m.text().length()));
      default -> valid.substring(0, at) + m.text() + valid.substring(Math.min(valid.length(), at + m.text().length()));
    };
    assertClearAnswer(body);
  }

  @Property(tries = 300)
  void aRandomJsonObjectIsA400OrGoesThrough(@ForAll("objects") String body) throws Exception {
    assertClearAnswer(body);
  }

  private static void assertClearAnswer(String body) throws Exception {
    HttpResponse<String> response = api.send("POST", "/api/v1/rollouts/web@1/approve", operator, "application/json", body);

    assertThat(response.statusCode()).as(body + " -> " + response.body()).isIn(400, 404);
    assertThat(Json.mapper().readTree(response.body()).path("error").asText()).isNotEmpty();
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    Arbitrary<String> text = Arbitraries.oneOf(
        Arbitraries.strings().withChars("{}[]\":,\\ nul0123456789.-eE").ofMinLength(1).ofMaxLength(6),
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4),
        Arbitraries.of("null", "12", "true", "\"actr\":1,", "\"at\":12,", "\"at\":\"+1000000000-01-01T00:00:00Z\",", "[", "\\u0000"));
    return Combinators.combine(Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 60),
        Arbitraries.of("insert", "delete", "replace"), text).as(Mutation::new);
  }

  @Provide
  Arbitrary<String> objects() {
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("actor", "comment", "wave", "at", "actr", ""),
        Arbitraries.strings().alpha().ofMaxLength(8));
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30).map(ApiBodyPropertyTest::quote),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf),
        Arbitraries.of("null", "true", "false", "[]", "{}", "\"2026-12-08T02:00:00Z\"", "\"+1000000000-01-01T00:00:00Z\"",
            quote("x".repeat(5000)), quote("a".repeat(201))));
    return Combinators.combine(key, value).as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(5)
        .map(fields -> "{" + String.join(",", fields) + "}");
  }

  private static String quote(String s) {
    try {
      return Json.mapper().writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
