package dev.flotilla.scaffold;

import dev.flotilla.testing.RepoRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetScaffoldInitTest {
  @TempDir Path tmp;

  private final Path templates = RepoRoot.templates();

  @Test
  void initMakesAGitRepositoryWithOneCommitHoldingTheTemplateFiles() throws Exception {
    Path target = tmp.resolve("my-fleet");

    String commitId = FleetScaffold.init(templates, "four-tier", target);

    try (Git git = Git.open(target.toFile())) {
      List<RevCommit> log = new ArrayList<>();
      git.log().call().forEach(log::add);
      assertThat(log).hasSize(1);
      assertThat(log.get(0).name()).isEqualTo(commitId);
      assertThat(log.get(0).getFullMessage()).isEqualTo("Initial fleet from template four-tier");
      assertThat(filesIn(git, log.get(0))).isEqualTo(relativeFiles(templates.resolve("four-tier")));
      assertThat(git.status().call().isClean()).isTrue();
    }
    assertThat(target.resolve("apps/hello/overlays/edge/kustomization.yaml")).exists();
  }

  @Test
  void initIntoAnExistingEmptyFolderWorks() throws Exception {
    Path target = Files.createDirectory(tmp.resolve("empty"));

    FleetScaffold.init(templates, "two-tier", target);

    assertThat(target.resolve("fleet.yaml")).content().contains("name: hub");
    assertThat(target.resolve(".git")).isDirectory();
  }

  @Test
  void initIntoANonEmptyFolderFailsAndWritesNothing() throws Exception {
    Path target = Files.createDirectory(tmp.resolve("busy"));
    Files.writeString(target.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> FleetScaffold.init(templates, "four-tier", target))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining(target.toString())
        .hasMessageContaining("not empty");

    try (Stream<Path> left = Files.list(target)) {
      assertThat(left).containsExactly(target.resolve("notes.txt"));
    }
  }

  @Test
  void unknownTemplateFailsListingTheAvailableOnes() {
    Path target = tmp.resolve("x");

    assertThatThrownBy(() -> FleetScaffold.init(templates, "three-tier", target))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining("unknown template 'three-tier'")
        .hasMessageContaining("available: four-tier, two-tier");
    assertThat(target).doesNotExist();
  }

  @Test
  void theNewTemplatesAreNotAFleetTemplate() throws Exception {
    assertThat(Templates.at(templates).fleetTemplates()).containsExactly("four-tier", "two-tier");
  }

  private static List<String> filesIn(Git git, RevCommit commit) throws IOException {
    List<String> paths = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(git.getRepository())) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) paths.add(walk.getPathString());
    }
    return paths.stream().sorted().toList();
  }

  private static List<String> relativeFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }
}
