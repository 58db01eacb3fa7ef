package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.RepoRoot;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The fleets this project ships (the example and the templates) are valid. */
class ShippedFleetsTest {
  private static final Path ROOT = RepoRoot.find();

  @Test
  void exampleFleetIsValidAndHasTheRetailShape() throws Exception {
    FleetModel model = FleetLoader.load(ROOT.resolve("fleet-repo-example"));

    Map<String, Long> byTier = model.sites().stream().collect(Collectors.groupingBy(Site::tier, Collectors.counting()));
    assertThat(byTier).containsEntry("datacenter", 2L).containsEntry("micro-dc", 4L).containsEntry("pop", 24L).containsEntry("edge", 60L);
    assertThat(model.fleet().tiers()).extracting(Tier::name).containsExactly("datacenter", "micro-dc", "pop", "edge");
    assertThat(model.apps()).extracting(App::name).contains("pos", "telemetry");
    assertThat(model.hasSiteOverlay("pos", "store-paris-01")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"four-tier", "two-tier"})
  void templatesAreValid(String template) throws Exception {
    assertThat(FleetLoader.load(ROOT.resolve("templates").resolve(template)).sites()).isNotEmpty();
  }
}
