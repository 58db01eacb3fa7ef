package dev.flotilla.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.Site;
import dev.flotilla.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's fleet repo: the example copied into a real Git repository, scaled, and the pos release committed. */
class DemoFleetIT {
  static final Path EXAMPLE = RepoRoot.find().resolve("fleet-repo-example");

  @TempDir Path dir;

  @Test
  void scalesTheExampleWithValidStoresAndGatewaysInOneGeneratedFile() throws Exception {
    try (DemoFleet fleet = DemoFleet.create(EXAMPLE, dir.resolve("fleet"), 1000)) {
      FleetModel model = FleetLoader.load(fleet.repo());
      Map<String, Long> byTier = model.sites().stream().collect(Collectors.groupingBy(Site::tier, Collectors.counting()));

      assertThat(model.sites()).hasSize(1000);
      assertThat(fleet.today().sites()).hasSize(1000);
      assertThat(byTier).containsEntry("datacenter", 2L).containsEntry("micro-dc", 4L);
      assertThat(byTier.get("edge")).isGreaterThan(byTier.get("pop") * 2);
      assertThat(fleet.repo().resolve(GeneratedSites.FILE)).isRegularFile();
    }
  }

  @Test
  void refusesFewerSitesThanTheExampleHas() {
    assertThatThrownBy(() -> DemoFleet.create(EXAMPLE, dir.resolve("fleet"), 50))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("90");
  }

  @Test
  void commitsTodayThenAReleaseThatChangesOnlyThePosImageTag() throws Exception {
    try (DemoFleet fleet = DemoFleet.create(EXAMPLE, dir.resolve("fleet"), 0);
        Git git = Git.open(fleet.repo().toFile())) {
      String release = fleet.commitRelease("4.13.0");

      assertThat(fleet.today().sites()).hasSize(90);
      assertThat(git.log().call()).extracting(c -> c.getShortMessage()).containsExactly("pos: release 4.13.0", "Fleet as it runs today");
      assertThat(release).isNotEqualTo(fleet.todayRevision());
      for (String file : DemoFleet.POS_FILES) {
        assertThat(Files.readString(fleet.repo().resolve(file))).contains("pos-server:4.13.0").doesNotContain("pos-server:4.12.0");
      }
    }
  }
}
