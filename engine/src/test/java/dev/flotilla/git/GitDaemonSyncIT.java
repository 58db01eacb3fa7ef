package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testing.GitDaemon;
import dev.flotilla.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sync against the real {@code git daemon} on 127.0.0.1, over git://. */
class GitDaemonSyncIT {
  @TempDir Path temp;
  private GitDaemon daemon;
  private GitFixture author;
  private String url;
  private Path cache;
  private String first;

  @BeforeEach
  void serveAFleetRepo() throws Exception {
    Path base = Files.createDirectories(temp.resolve("served"));
    GitFixture.initBare(base.resolve("fleet.git"));
    daemon = GitDaemon.serve(base, temp.resolve("git-daemon.log"));
    url = daemon.url("fleet.git");
    cache = temp.resolve("cache");
    author = GitFixture.init(temp.resolve("author"));
    first = author.write("fleet.yaml", "name: v1\n").commit("first");
    author.pushTo(url, "main");
  }

  @AfterEach
  void stop() {
    author.close();
    daemon.close();
  }

  private FleetRepoSource open() throws GitSyncException {
    return FleetRepoSource.open(url, cache, GitAuth.NONE);
  }

  @Test
  void clonesOverGitProtocolAndReadsTheDefaultBranch() throws Exception {
    try (FleetRepoSource source = open()) {
      assertThat(source.defaultBranch()).isEqualTo("main");
      assertThat(source.resolve("main")).isEqualTo(first);
      assertThat(source.snapshot(null).root().resolve("fleet.yaml")).hasContent("name: v1");
    }
  }

  @Test
  void newCommitPushedToTheServerIsFetched() throws Exception {
    try (FleetRepoSource source = open()) {
      String second = author.write("fleet.yaml", "name: v2\n").commit("second");
      author.pushTo(url, "main");

      FetchOutcome outcome = source.fetch("main");

      assertThat(outcome).isEqualTo(new FetchOutcome("main", first, second, false));
      assertThat(source.snapshot(second).root().resolve("fleet.yaml")).hasContent("name: v2");
      assertThat(source.snapshot(first).root().resolve("fleet.yaml")).hasContent("name: v1");
    }
  }

  @Test
  void branchResetToAnOlderCommitIsAForcedUpdate() throws Exception {
    String second = author.write("fleet.yaml", "name: v2\n").commit("second");
    author.pushTo(url, "main");
    try (FleetRepoSource source = open()) {
      author.resetHard(first).pushTo(url, "main");

      FetchOutcome outcome = source.fetch("main");

      assertThat(outcome.previousCommit()).isEqualTo(second);
      assertThat(outcome.commit()).isEqualTo(first);
      assertThat(outcome.forced()).isTrue();
    }
  }

  @Test
  void branchReplacedByAnUnrelatedHistoryIsAForcedUpdate() throws Exception {
    try (FleetRepoSource source = open()) {
      String unrelated = author.orphan("rewrite").write("fleet.yaml", "name: new\n")
          .commit("start over");
      author.moveBranch("main", unrelated).pushTo(url, "main");

      FetchOutcome outcome = source.fetch("main");

      assertThat(outcome).isEqualTo(new FetchOutcome("main", first, unrelated, true));
      assertThat(source.isAncestor(first, unrelated)).isFalse();
    }
  }

  @Test
  void missingBranchIsAnErrorNamingUrlAndBranch() throws Exception {
    try (FleetRepoSource source = open()) {
      assertThatThrownBy(() -> source.fetch("release-9"))
          .isInstanceOf(GitSyncException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("release-9");
    }
  }

  @Test
  void stoppedServerIsAnErrorNamingTheUrlAndFetchedRevisionsStayReadable() throws Exception {
    String second = author.write("fleet.yaml", "name: v2\n").commit("second");
    author.pushTo(url, "main");
    try (FleetRepoSource source = open()) {
      daemon.close();

      assertThatThrownBy(() -> source.fetch("main"))
          .isInstanceOf(GitSyncException.class)
          .hasMessageContaining(url)
          .extracting(e -> ((GitSyncException) e).reason())
          .isEqualTo(GitSyncException.Reason.UNREACHABLE);
      assertThat(source.resolve("main")).isEqualTo(second);
      assertThat(source.resolve("main~1")).isEqualTo(first);
      assertThat(source.snapshot(first).root().resolve("fleet.yaml")).hasContent("name: v1");
      assertThat(source.snapshot("main").root().resolve("fleet.yaml")).hasContent("name: v2");
    }
  }
}
