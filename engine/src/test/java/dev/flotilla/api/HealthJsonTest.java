package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.engine.port.Quarantined;
import dev.flotilla.engine.view.HealthView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code GET /api/v1/health} answers: "ok" alone, or "degraded" naming what is in quarantine. */
class HealthJsonTest {
  @Test
  void nothingInQuarantineIsOk() throws Exception {
    assertThat(Json.mapper().writeValueAsString(HealthView.of(List.of()))).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void somethingInQuarantineIsDegradedAndNamed() throws Exception {
    HealthView health = HealthView.of(List.of(new Quarantined(Quarantined.ROLLOUT, "web-3f2a1c0d9e8b", "its stored form cannot be read",
        Instant.parse("2026-12-10T10:00:00Z"))));

    String json = Json.mapper().writeValueAsString(health);

    assertThat(json).isEqualTo("{\"status\":\"degraded\",\"quarantined\":[{\"kind\":\"rollout\",\"id\":\"web-3f2a1c0d9e8b\","
        + "\"reason\":\"its stored form cannot be read\",\"at\":\"2026-12-10T10:00:00Z\"}]}");
  }
}
