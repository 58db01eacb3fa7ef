package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.CliProcess;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI started in a working folder other than the fleet repo's, with relative {@code --repo},
 * {@code --data-dir}, {@code --out} and {@code FLOTILLA_DATA}, and an empty cache every time: the
 * real kustomize runs inside overlay folders, so a path left relative breaks it there.
 */
class RelativePathsIT {
  @TempDir static Path dir;
  static GitFixture git;
  static Path elsewhere;

  @BeforeAll
  static void fleetWithTwoCommits() throws IOException {
    git = GitFixture.init(dir.resolve("fleet"));
    Path example = RepoRoot.find().resolve("fleet-repo-example");
    try (Stream<Path> files = Files.walk(example)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        git.write(example.relativize(f).toString(), Files.readString(f));
      }
    }
    git.commit("the fleet as it runs");
    String statefulSet = Files.readString(example.resolve("apps/pos/base/statefulset.yaml"));
    git.write("apps/pos/base/statefulset.yaml", statefulSet.replace("pos-server:4.12.0", "pos-server:4.13.0"));
    git.commit("pos 4.13.0");
    elsewhere = Files.createDirectories(dir.resolve("work/here"));
  }

  @AfterAll
  static void close() {
    git.close();
  }

  @Test
  void planWithRelativeRepoAndDataDirFromAnotherFolder() {
    CliProcess.Result r = CliProcess.run(elsewhere, Map.of(),
        "plan", "--repo", "../../fleet", "--data-dir", "./rel-data", "--from", "HEAD~1", "--to", "HEAD", "--format", "markdown");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("#### App `pos`", "pos-server:4.13.0");
    assertThat(elsewhere.resolve("rel-data/cache/render")).isDirectory();
  }

  @Test
  void runInsideTheFleetRepoThePlanSaysOnceWhereItsDataFolderIs() {
    CliProcess.Result r = CliProcess.run(git.workTree(), Map.of("HOME", dir.resolve("home").toString()),
        "plan", "--repo", ".", "--from", "HEAD~1", "--to", "HEAD");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err().split("would be inside the fleet repo", -1)).as(r.err()).hasSize(2);
    assertThat(git.workTree().resolve(".flotilla")).doesNotExist();
  }

  @Test
  void validateAndRenderAtARevisionWithTheDefaultDataFolder() {
    Path fresh = freshFolder("default-data");
    CliProcess.Result r = CliProcess.run(fresh, Map.of(), "validate", "--repo", "../../fleet", "--rev", "HEAD", "--render");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("120 desired states rendered");
    assertThat(fresh.resolve(".flotilla/cache/trees")).isDirectory();
  }

  @Test
  void relativeDataFolderFromTheEnvironmentAndRelativeOutFolder() {
    Path fresh = freshFolder("env-data");
    CliProcess.Result r = CliProcess.run(fresh, Map.of("FLOTILLA_DATA", "data/from-env"),
        "render", "--repo", "../../fleet", "--rev", "HEAD", "--site", "store-paris-01", "--out", "out");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(fresh.resolve("out/pos.yaml")).content().contains("pos-server:4.13.0");
    assertThat(fresh.resolve("data/from-env/cache/render")).isDirectory();
  }

  @Test
  void fileUrlOfTheRepoWithARelativeDataFolder() {
    Path fresh = freshFolder("file-url");
    CliProcess.Result r = CliProcess.run(fresh, Map.of(), "validate", "--repo", git.workTree().toUri().toString(),
        "--data-dir", "d", "--render");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(fresh.resolve("d/cache/git")).isDirectory();
  }

  private static Path freshFolder(String name) {
    try {
      return Files.createDirectories(dir.resolve("work").resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
