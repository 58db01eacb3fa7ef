package dev.flotilla.scaffold;

import dev.flotilla.testing.RepoRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetScaffoldNewTest {
  @TempDir Path tmp;

  private FleetScaffold scaffold;
  private Path repo;

  @BeforeEach
  void fourTierFleet() throws Exception {
    scaffold = new FleetScaffold(Templates.at(RepoRoot.templates()));
    repo = tmp.resolve("fleet");
    scaffold.init("four-tier", repo);
  }

  @Test
  void newSiteOfAPullTierHasNoCluster() throws Exception {
    Path file = scaffold.newSite(repo, "pop-04", "pop", "Europe/Madrid");

    assertThat(file).isEqualTo(repo.resolve("sites/pop-04.yaml"));
    assertThat(file).content()
        .contains("name: pop-04", "tier: pop", "timezone: Europe/Madrid")
        .doesNotContain("__", "cluster:");
  }

  @Test
  void newSiteOfAPushTierNamesItsKubeconfigAndContext() throws Exception {
    Path file = scaffold.newSite(repo, "dc-03", "datacenter", "Europe/Berlin");

    assertThat(file).content()
        .contains("  cluster:\n    kubeconfig: /etc/flotilla/kubeconfigs/dc-03.yaml\n    context: dc-03")
        .doesNotContain("__");
  }

  @Test
  void newSiteDefaultsToUtc() throws Exception {
    assertThat(scaffold.newSite(repo, "edge-05", "edge")).content().contains("timezone: UTC");
  }

  @Test
  void aSiteNameDeclaredInAMultiDocumentFileIsTaken() {
    assertThatThrownBy(() -> scaffold.newSite(repo, "pop-02", "pop", "Europe/Paris"))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("sites/pops.yaml")
        .hasMessageContaining("a site named 'pop-02' already exists");
    assertThat(repo.resolve("sites/pop-02.yaml")).doesNotExist();
  }

  @Test
  void aTierTheFleetDoesNotDeclareFailsNamingTheTiers() {
    assertThatThrownBy(() -> scaffold.newSite(repo, "hub-01", "hub", "UTC"))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("fleet.yaml")
        .hasMessageContaining("'hub' is not a tier")
        .hasMessageContaining("datacenter, micro-dc, pop, edge");
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"GMT+5", "+05:00", "UTC+3", "UTC+01:00", "Etc/GMT-5", "Z"})
  void anOffsetTimezoneIsRefusedWithARegionSuggested(String zone) {
    assertThatThrownBy(() -> scaffold.newSite(repo, "pop-09", "pop", zone))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("spec.timezone").hasMessageContaining("'" + zone + "'").hasMessageContaining("use the region");
    assertThat(repo.resolve("sites/pop-09.yaml")).doesNotExist();
  }

  @Test
  void anUnknownTimezoneFails() {
    assertThatThrownBy(() -> scaffold.newSite(repo, "pop-09", "pop", "Europe/Atlantis"))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("spec.timezone");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Store-1", "store_1", "-store", "store-", "", "a234567890123456789012345678901234567890123456789012345678901234"})
  void namesMustBeDnsLabels(String name) {
    assertThatThrownBy(() -> scaffold.newSite(repo, name, "pop", "UTC"))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("not a DNS-1123 label");
    assertThatThrownBy(() -> scaffold.newApp(repo, name, "canary-then-tiers", List.of("pop")))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("not a DNS-1123 label");
  }

  @Test
  void newAppWritesAppYamlBaseAndOneOverlayPerTier() throws Exception {
    Path app = scaffold.newApp(repo, "shelf-labels", "canary-then-tiers", List.of("edge", "pop"));

    assertThat(app).isEqualTo(repo.resolve("apps/shelf-labels"));
    assertThat(app.resolve("app.yaml")).content()
        .contains("name: shelf-labels", "tiers: [pop, edge]", "policy: canary-then-tiers");
    assertThat(app.resolve("base/kustomization.yaml")).exists();
    assertThat(app.resolve("overlays/pop/kustomization.yaml")).content().contains("namespace: shelf-labels");
    assertThat(app.resolve("overlays/edge/kustomization.yaml")).content().contains("shelf-labels-edge");
    assertThat(subfolders(app.resolve("overlays"))).containsExactlyInAnyOrder("pop", "edge");
    for (Path file : filesUnder(app)) {
      assertThat(file.toString()).doesNotContain("__");
      assertThat(file).content().doesNotContain("__");
    }
    // Runtime substitution variables pass through the scaffold untouched.
    assertThat(app.resolve("base/configmap.yaml")).content().contains("${SITE_NAME}");
  }

  @Test
  void newAppNeedsADeclaredPolicy() {
    assertThatThrownBy(() -> scaffold.newApp(repo, "shelf-labels", "yolo", List.of("pop")))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("no RolloutPolicy named 'yolo'")
        .hasMessageContaining("declared: canary-then-tiers");
    assertThat(repo.resolve("apps/shelf-labels")).doesNotExist();
  }

  @Test
  void newAppNeedsFleetTiers() {
    assertThatThrownBy(() -> scaffold.newApp(repo, "shelf-labels", "canary-then-tiers", List.of("pop", "moon")))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("'moon' is not a tier");
    assertThatThrownBy(() -> scaffold.newApp(repo, "shelf-labels", "canary-then-tiers", List.of()))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("at least one tier");
  }

  @Test
  void anExistingAppIsNotOverwritten() {
    assertThatThrownBy(() -> scaffold.newApp(repo, "hello", "canary-then-tiers", List.of("pop")))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("an app named 'hello' already exists");
  }

  @Test
  void newSiteOutsideAFleetRepoFails() {
    assertThatThrownBy(() -> scaffold.newSite(tmp, "pop-04", "pop", "UTC"))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("not a fleet repo");
  }

  private static List<String> subfolders(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
