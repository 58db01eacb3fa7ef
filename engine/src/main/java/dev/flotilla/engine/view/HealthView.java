package dev.flotilla.engine.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flotilla.engine.port.Quarantined;
import java.util.List;

/**
 * {@code GET /api/v1/health}: {@code "ok"}, or {@code "degraded"} with the stored items set aside
 * (each still named when the engine otherwise works).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HealthView(String status, List<Quarantined> quarantined) {
  public static final HealthView OK = new HealthView("ok", List.of());

  public static HealthView of(List<Quarantined> quarantined) {
    return quarantined.isEmpty() ? OK : new HealthView("degraded", List.copyOf(quarantined));
  }
}
