package dev.flotilla.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteDriftTest {
  static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");

  @Test
  void eachDriftedFieldIsOneLineNamingTheObject() {
    Map<String, List<FieldDrift>> found = new LinkedHashMap<>();
    found.put("Deployment/web/web", List.of(new FieldDrift("spec.replicas", 2, 7)));
    found.put("ConfigMap/web/conf", List.of(new FieldDrift("", "the object", null)));

    SiteDrift d = SiteDrift.observed("dc-1", "web", "r1", found, T0);

    assertThat(d.objects()).isEqualTo(2);
    assertThat(d.fields()).containsExactly("Deployment/web/web: spec.replicas: want 2, live 7",
        "ConfigMap/web/conf: missing from the cluster");
    assertThat(d.drifting()).isTrue();
  }

  @Test
  void theSummaryIsBoundedInLinesAndLengthAndSaysHowManyMore() {
    List<FieldDrift> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) many.add(new FieldDrift("data.k" + i, "x".repeat(500), "multi\nline"));

    SiteDrift d = SiteDrift.observed("dc-1", "web", "r1", Map.of("ConfigMap/web/big", many), T0);

    assertThat(d.objects()).isEqualTo(1);
    assertThat(d.fields()).hasSize(SiteDrift.MAX_FIELDS);
    assertThat(d.fields()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(SiteDrift.MAX_LINE).doesNotContain("\n"));
    assertThat(d.fields().get(SiteDrift.MAX_FIELDS - 1)).isEqualTo("… and 31 more fields");
  }
}
