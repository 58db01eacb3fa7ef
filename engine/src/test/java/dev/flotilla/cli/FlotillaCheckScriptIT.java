package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.RepoRoot;
import dev.flotilla.testing.SmallFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ci/flotilla-check.sh} run by bash as a CI job would, on a real fleet repo with a change
 * branch, with {@code $FLOTILLA} the CLI of this build and the real kustomize.
 */
class FlotillaCheckScriptIT {
  @TempDir Path dir;
  GitFixture git;

  @BeforeEach
  void fleet() {
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.commit("web 1.0");
    git.branch("change");
  }

  @AfterEach
  void close() {
    git.close();
  }

  record Run(int exit, String err) {}

  Run check(Path out) throws Exception {
    String flotilla = Path.of(System.getProperty("java.home"), "bin", "java") + " -XX:TieredStopAtLevel=1 -cp "
        + System.getProperty("java.class.path") + " dev.flotilla.cli.Main";
    Path err = dir.resolve("err.txt");
    ProcessBuilder b = new ProcessBuilder(List.of("bash", RepoRoot.find().resolve("ci/flotilla-check.sh").toString(),
        "--repo", git.workTree().toString(), "--base", GitFixture.MAIN, "--out", out.toString()))
        .directory(dir.toFile()).redirectErrorStream(false).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(err.toFile());
    b.environment().put("FLOTILLA", flotilla);
    Process p = b.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void aValidChangeIsPlannedAsMarkdownForTheComment() throws Exception {
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    git.commit("web 2.0");
    Path out = dir.resolve("plan.md");

    Run run = check(out);

    assertThat(run.exit()).as(run.err()).isZero();
    String plan = Files.readString(out);
    assertThat(plan).startsWith("<!-- flotilla-check -->\n### Flotilla plan:");
    assertThat(plan).contains("web:2.0").contains("hub-1");
  }

  @Test
  void anInvalidFleetRepoExits2WithItsProblemsInTheComment() throws Exception {
    git.write("apps/web/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n  policy: default\n  colour: blue\n");
    git.commit("an unknown field");
    Path out = dir.resolve("plan.md");

    Run run = check(out);

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(Files.readString(out)).contains("is invalid").contains("apps/web/app.yaml:7");
  }
}
