package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.testing.FleetFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionFileTest {
  private static final String REV = "3f2a1c9d0e1b3f2a1c9d0e1b3f2a1c9d0e1b3f2a";
  private static final PromotionFile CANARY = new PromotionFile("web", "web-3f2a1c9d0e1b", REV, "canary",
      List.of("hub-1", "007"), Instant.parse("2026-11-30T12:00:00Z"));

  @TempDir Path dir;

  @Test
  void livesUnderPromotionsByAppRolloutAndWave() {
    assertThat(CANARY.path()).isEqualTo("promotions/web/web-3f2a1c9d0e1b-canary.yaml");
    assertThat(PromotionFile.isPromotionPath(CANARY.path())).isTrue();
    assertThat(PromotionFile.isPromotionPath("apps/web/app.yaml")).isFalse();
  }

  @Test
  void writtenFileReadsBackTheSame() throws Exception {
    assertThat(PromotionFile.parse(CANARY.path(), CANARY.yaml())).isEqualTo(CANARY);
    assertThat(CANARY.yaml()).contains("kind: Promotion\n", "  wave: \"canary\"\n", "    - \"007\"\n");
  }

  @Test
  void problemsNameTheFileLineAndField() {
    String text = """
        apiVersion: flotilla.dev/v1
        kind: Promotion
        spec:
          app: web
          rollout: web-3f2a1c9d0e1b
          revision: main
          wave: canary
          requestedAt: yesterday
          reviewer: bob
        """;
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class, () -> PromotionFile.parse(CANARY.path(), text));
    assertThat(e.problems().stream().map(Problem::toString)).containsExactly(
        "promotions/web/web-3f2a1c9d0e1b-canary.yaml:6: spec.revision: expected a full commit id (40 hex), got 'main'",
        "promotions/web/web-3f2a1c9d0e1b-canary.yaml:8: spec.requestedAt: expected an instant such as 2026-11-30T12:00:00Z, got 'yesterday'",
        "promotions/web/web-3f2a1c9d0e1b-canary.yaml:9: spec.reviewer: unknown field; expected one of: app, rollout, revision, wave, sites, requestedAt");
  }

  @Test
  void aFileInTheWrongPlaceIsRefused() {
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class,
        () -> PromotionFile.parse("promotions/web/other.yaml", CANARY.yaml()));
    assertThat(e.problems()).singleElement().asString()
        .isEqualTo("promotions/web/other.yaml: a promotion of wave canary of rollout web-3f2a1c9d0e1b belongs at " + CANARY.path());
  }

  @Test
  void aRolloutOfAnotherAppIsRefused() {
    String text = CANARY.yaml().replace("\"web-3f2a1c9d0e1b\"", "\"api-3f2a1c9d0e1b\"");
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class, () -> PromotionFile.parse(CANARY.path(), text));
    assertThat(e.problems()).singleElement().asString().contains("spec.rollout: rollout 'api-3f2a1c9d0e1b' is not one of app web");
  }

  @Test
  void aFleetRepoWithPromotionFilesIsValid() throws Exception {
    FleetFiles files = FleetFiles.minimal(dir).write(CANARY.path(), CANARY.yaml()).write("promotions/README.md", "merged promotions\n");
    assertThat(FleetLoader.load(files.root()).apps()).extracting(App::name).containsExactly("web");
  }
}
