package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote reached through a file:// URL: the mirror and fetch logic without a server. */
class MirroredFleetRepoTest {
  @TempDir Path temp;
  private GitFixture author;
  private Path served;
  private String url;
  private Path cache;
  private String first;

  @BeforeEach
  void servedRepository() {
    cache = temp.resolve("cache");
    served = GitFixture.initBare(temp.resolve("served.git"));
    url = served.toUri().toString();
    author = GitFixture.init(temp.resolve("author"));
    first = author.write("fleet.yaml", "name: v1\n").commit("first");
    author.pushTo(served, "main");
  }

  @AfterEach
  void closeAuthor() {
    author.close();
  }

  private FleetRepoSource open() throws GitSyncException {
    return FleetRepoSource.open(url, cache, GitAuth.NONE);
  }

  @Test
  void firstUseClonesABareMirrorIntoTheCacheNamedByTheUrlHash() throws Exception {
    try (FleetRepoSource source = open()) {
      Path mirror = cache.resolve("git").resolve(RemoteUrl.parse(url).cacheKey() + ".git");
      assertThat(mirror.resolve("HEAD")).exists();
      assertThat(mirror.resolve("objects")).isDirectory();
      assertThat(source.resolve("main")).isEqualTo(first);
      assertThat(source.defaultBranch()).isEqualTo("main");
      assertThat(source.snapshot(null).root().resolve("fleet.yaml")).hasContent("name: v1");
    }
  }

  @Test
  void aCommitOnNoBranchIsFetchedFromThePullRequestRefThatHasIt() throws Exception {
    author.branch("fork");
    String forked = author.write("fleet.yaml", "name: from a fork\n").commit("a fork's change");
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.wrap(author.repository())) {
      git.push().setRemote(url).setRefSpecs(new org.eclipse.jgit.transport.RefSpec(forked + ":refs/pull/3/head")).call();
    }
    try (FleetRepoSource source = open()) {
      source.fetch("main");
      assertThatThrownBy(() -> source.resolve(forked)).isInstanceOf(GitSyncException.class);

      source.fetchCommit(forked, "refs/pull/3/head");

      assertThat(source.snapshot(forked).root().resolve("fleet.yaml")).hasContent("name: from a fork");
      assertThatThrownBy(() -> source.fetchCommit("1".repeat(40), "refs/pull/4/head"))
          .isInstanceOf(GitSyncException.class).hasMessageContaining("commit " + "1".repeat(40) + " is on no branch, and the remote has no refs/pull/4/head");
      assertThatThrownBy(() -> source.fetchCommit(forked.substring(0, 12) + "0".repeat(28), "refs/../../x"))
          .isInstanceOf(GitSyncException.class).hasMessageContaining("is not a ref name");
      assertThatThrownBy(() -> source.fetchCommit("main", "refs/pull/3/head"))
          .isInstanceOf(GitSyncException.class).hasMessageContaining("is not a full commit id");
    }
  }

  @Test
  void fetchReportsANewCommitThatDescendsFromTheOldOne() throws Exception {
    try (FleetRepoSource source = open()) {
      String second = author.write("fleet.yaml", "name: v2\n").commit("second");
      author.pushTo(served, "main");

      FetchOutcome outcome = source.fetch("main");

      assertThat(outcome).isEqualTo(new FetchOutcome("main", first, second, false));
      assertThat(outcome.changed()).isTrue();
      assertThat(source.snapshot("main").root().resolve("fleet.yaml")).hasContent("name: v2");
    }
  }

  @Test
  void fetchWithNothingNewReportsTheBranchUnchanged() throws Exception {
    try (FleetRepoSource source = open()) {
      FetchOutcome outcome = source.fetch("main");

      assertThat(outcome.changed()).isFalse();
      assertThat(outcome.forced()).isFalse();
    }
  }

  @Test
  void branchResetToAnOlderCommitIsReportedForced() throws Exception {
    String second = author.write("fleet.yaml", "name: v2\n").commit("second");
    author.pushTo(served, "main");
    try (FleetRepoSource source = open()) {
      author.resetHard(first).pushTo(served, "main");

      FetchOutcome outcome = source.fetch("main");

      assertThat(outcome).isEqualTo(new FetchOutcome("main", second, first, true));
      assertThat(source.resolve(second)).as("the dropped commit stays readable").isEqualTo(second);
    }
  }

  @Test
  void branchFirstSeenHasNoPreviousCommit() throws Exception {
    try (FleetRepoSource source = open()) {
      String feature = author.branch("feature").write("x.yaml", "x\n").commit("feature");
      author.pushTo(served, "feature");

      assertThat(source.fetch("feature"))
          .isEqualTo(new FetchOutcome("feature", null, feature, false));
    }
  }

  @Test
  void missingBranchIsAnErrorNamingUrlAndBranch() throws Exception {
    try (FleetRepoSource source = open()) {
      assertThatThrownBy(() -> source.fetch("nope"))
          .isInstanceOf(GitSyncException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("nope")
          .extracting(e -> ((GitSyncException) e).reason())
          .isEqualTo(GitSyncException.Reason.MISSING_BRANCH);
    }
  }

  @Test
  void failedFetchLeavesEverythingFetchedBeforeReadable() throws Exception {
    try (FleetRepoSource source = open()) {
      Files.move(served, temp.resolve("gone.git"));

      assertThatThrownBy(() -> source.fetch("main"))
          .isInstanceOf(GitSyncException.class)
          .hasMessageContaining(url);
      assertThat(source.resolve("main")).isEqualTo(first);
      assertThat(source.snapshot(first).root().resolve("fleet.yaml")).hasContent("name: v1");
    }
  }

  @Test
  void reopeningUsesTheExistingMirrorWithoutTheRemote() throws Exception {
    open().close();
    Files.move(served, temp.resolve("gone.git"));

    try (FleetRepoSource source = open()) {
      assertThat(source.resolve("main")).isEqualTo(first);
    }
  }

  @Test
  void unreachableRemoteOnFirstUseLeavesNoHalfMirror() {
    String missing = temp.resolve("missing.git").toUri().toString();

    assertThatThrownBy(() -> FleetRepoSource.open(missing, cache, GitAuth.NONE))
        .isInstanceOf(GitSyncException.class)
        .hasMessageContaining(missing);
    assertThat(cache.resolve("git").toFile().list()).isEmpty();
  }

  @Test
  void tagsAreMirroredToo() throws Exception {
    author.tag("release-1").pushTo(served, "main");

    try (FleetRepoSource source = open()) {
      assertThat(source.resolve("release-1")).isEqualTo(first);
    }
  }
}
