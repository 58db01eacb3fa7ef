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

class LocalFleetRepoTest {
  @TempDir Path temp;
  private GitFixture repo;
  private Path cache;
  private String first;
  private String second;
  private String third;

  @BeforeEach
  void history() {
    cache = temp.resolve("cache");
    repo = GitFixture.init(temp.resolve("repo"));
    first = repo.write("fleet.yaml", "name: v1\n").write("README.md", "outside\n")
        .commit("first");
    repo.tag("v1");
    second = repo.write("fleet.yaml", "name: v2\n").write("sites/a.yaml", "site: a\n")
        .commit("second");
    third = repo.delete("sites").write("fleet.yaml", "name: v3\n").commit("third");
  }

  @AfterEach
  void closeRepo() {
    repo.close();
  }

  private FleetRepoSource open(Path path) throws GitSyncException {
    return FleetRepoSource.open(path.toString(), cache, GitAuth.NONE);
  }

  @Test
  void aCleanWorkingTreeIsStampedWithItsCommitId() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThat(source.revisionStamp(source.snapshot(null))).isEqualTo(third);
    }
  }

  @Test
  void aChangedFileMakesTheStampDirty() throws Exception {
    repo.write("fleet.yaml", "name: v4\n");
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThat(source.revisionStamp(source.snapshot(null))).isEqualTo(third + "-dirty");
    }
  }

  @Test
  void anUntrackedFileMakesTheStampDirtySinceItIsRendered() throws Exception {
    repo.write("sites/new.yaml", "site: new\n");
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThat(source.revisionStamp(source.snapshot(null))).isEqualTo(third + "-dirty");
    }
  }

  @Test
  void onlyChangesInsideTheFleetFolderMakeItDirty() throws Exception {
    String commit = repo.write("fleet/fleet.yaml", "name: sub\n").commit("a fleet in a sub-folder");
    repo.write("README.md", "changed outside the fleet folder\n");
    try (FleetRepoSource source = open(repo.workTree().resolve("fleet"))) {
      assertThat(source.revisionStamp(source.snapshot(null))).isEqualTo(commit);
    }
    repo.write("fleet/fleet.yaml", "name: changed\n");
    try (FleetRepoSource source = open(repo.workTree().resolve("fleet"))) {
      assertThat(source.revisionStamp(source.snapshot(null))).isEqualTo(commit + "-dirty");
    }
  }

  @Test
  void aSnapshotOfARevisionIsStampedWithThatRevision() throws Exception {
    repo.write("fleet.yaml", "name: v4\n");
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThat(source.revisionStamp(source.snapshot(first))).isEqualTo(first);
    }
  }

  @Test
  void aFolderInNoRepositoryIsStampedWorktree(@TempDir Path plain) throws Exception {
    java.nio.file.Files.writeString(plain.resolve("fleet.yaml"), "name: plain\n");
    try (FleetRepoSource source = open(plain)) {
      assertThat(source.revisionStamp(source.snapshot(null))).isEqualTo("worktree");
    }
  }

  @Test
  void twoRevisionsAreSnapshotSideBySideWithTheirOwnContents() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      Snapshot old = source.snapshot(first);
      Snapshot middle = source.snapshot(second);

      assertThat(old.root()).isNotEqualTo(middle.root());
      assertThat(old.revision()).isEqualTo(first);
      assertThat(old.root().resolve("fleet.yaml")).hasContent("name: v1");
      assertThat(old.root().resolve("sites")).doesNotExist();
      assertThat(middle.root().resolve("fleet.yaml")).hasContent("name: v2");
      assertThat(middle.root().resolve("sites/a.yaml")).hasContent("site: a");
      assertThat(middle.root()).isEqualTo(cache.resolve("trees").resolve(second));
    }
  }

  @Test
  void snapshotOfAFileDeletedLaterNoLongerHasIt() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThat(source.snapshot(third).root().resolve("sites/a.yaml")).doesNotExist();
    }
  }

  @Test
  void subFolderOfARepositoryIsSnapshotAsItsOwnRoot() throws Exception {
    repo.write("fleet-repo-example/fleet.yaml", "name: example\n")
        .write("fleet-repo-example/sites/b.yaml", "site: b\n");
    String commit = repo.commit("add example");

    try (FleetRepoSource source = open(repo.workTree().resolve("fleet-repo-example"))) {
      Snapshot snapshot = source.snapshot("HEAD");

      assertThat(snapshot.revision()).isEqualTo(commit);
      assertThat(snapshot.root().resolve("fleet.yaml")).hasContent("name: example");
      assertThat(snapshot.root().resolve("sites/b.yaml")).hasContent("site: b");
      assertThat(snapshot.root().resolve("README.md")).doesNotExist();
      assertThat(snapshot.root().getFileName().toString()).startsWith(commit + "-");
    }
  }

  @Test
  void subFolderMissingAtARevisionIsAnErrorNamingTheFolder() throws Exception {
    repo.write("fleet-repo-example/fleet.yaml", "name: example\n").commit("add example");

    try (FleetRepoSource source = open(repo.workTree().resolve("fleet-repo-example"))) {
      assertThatThrownBy(() -> source.snapshot(first))
          .isInstanceOf(GitSyncException.class)
          .hasMessageContaining("fleet-repo-example")
          .extracting(e -> ((GitSyncException) e).reason())
          .isEqualTo(GitSyncException.Reason.MISSING_FOLDER);
    }
  }

  @Test
  void resolvesBranchTagRelativeAndAbbreviatedRevisionsToFullIds() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThat(source.resolve("main")).isEqualTo(third);
      assertThat(source.resolve("HEAD")).isEqualTo(third);
      assertThat(source.resolve("HEAD~1")).isEqualTo(second);
      assertThat(source.resolve("v1")).isEqualTo(first);
      assertThat(source.resolve(second.substring(0, 8))).isEqualTo(second);
      assertThat(source.resolve(first)).isEqualTo(first);
    }
  }

  @Test
  void unknownRevisionIsAnErrorNamingRepositoryAndRef() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThatThrownBy(() -> source.resolve("no-such-branch"))
          .isInstanceOf(GitSyncException.class)
          .hasMessageContaining(repo.workTree().toRealPath().toString())
          .hasMessageContaining("no-such-branch")
          .hasMessageContaining("unknown revision");
    }
  }

  @Test
  void existingSnapshotIsReusedAsItIs() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      Snapshot once = source.snapshot(second);
      Path marker = once.root().resolve("marker");
      Files.writeString(marker, "left by the first snapshot");

      Snapshot again = source.snapshot("HEAD~1");

      assertThat(again).isEqualTo(once);
      assertThat(marker).exists();
    }
  }

  @Test
  void snapshotsLeaveNoTemporaryFoldersBehind() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      source.snapshot(first);
      source.snapshot(second);
    }
    try (var entries = Files.list(cache.resolve("trees"))) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(first, second);
    }
  }

  @Test
  void concurrentSnapshotsOfTheSameAndOtherRevisionsAllSucceed() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        var futures = new java.util.ArrayList<java.util.concurrent.Future<Snapshot>>();
        for (int i = 0; i < 8; i++) {
          String revision = i % 2 == 0 ? first : second;
          futures.add(pool.submit(() -> source.snapshot(revision)));
        }
        for (var future : futures) {
          Snapshot snapshot = future.get();
          assertThat(snapshot.root().resolve("fleet.yaml"))
              .hasContent(snapshot.revision().equals(first) ? "name: v1" : "name: v2");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void withoutARevisionTheFolderIsReadAsItIsIncludingUncommittedChanges() throws Exception {
    repo.write("fleet.yaml", "name: uncommitted\n");

    try (FleetRepoSource source = open(repo.workTree())) {
      Snapshot snapshot = source.snapshot(null);

      assertThat(snapshot.revision()).isEqualTo(Snapshot.WORKTREE);
      assertThat(snapshot.root()).isEqualTo(repo.workTree().toRealPath());
      assertThat(snapshot.root().resolve("fleet.yaml")).hasContent("name: uncommitted");
    }
  }

  @Test
  void folderOutsideAnyRepositoryIsReadAsItIsButHasNoRevisions() throws Exception {
    Path plain = Files.createDirectories(temp.resolve("plain"));
    Files.writeString(plain.resolve("fleet.yaml"), "name: plain\n");

    try (FleetRepoSource source = open(plain)) {
      assertThat(source.snapshot(null).root().resolve("fleet.yaml")).hasContent("name: plain");
      assertThatThrownBy(() -> source.snapshot("HEAD"))
          .isInstanceOf(GitSyncException.class)
          .hasMessageContaining("not a Git repository");
    }
  }

  @Test
  void ancestryFollowsTheHistory() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThat(source.isAncestor(first, third)).isTrue();
      assertThat(source.isAncestor(third, first)).isFalse();
      assertThat(source.isAncestor("v1", "main")).isTrue();
    }
  }

  @Test
  void fetchOfALocalRepositoryReportsTheBranchUnchanged() throws Exception {
    try (FleetRepoSource source = open(repo.workTree())) {
      assertThat(source.fetch("main")).isEqualTo(new FetchOutcome("main", third, third, false));
      assertThat(source.defaultBranch()).isEqualTo("main");
    }
  }

  @Test
  void executableFilesStayExecutable() throws Exception {
    repo.write("hooks/check.sh", "#!/bin/sh\n");
    repo.workTree().resolve("hooks/check.sh").toFile().setExecutable(true);
    String commit = repo.commit("add hook");

    try (FleetRepoSource source = open(repo.workTree())) {
      Path hook = source.snapshot(commit).root().resolve("hooks/check.sh");
      assertThat(Files.isExecutable(hook)).isTrue();
      assertThat(Files.isExecutable(source.snapshot(commit).root().resolve("fleet.yaml")))
          .isFalse();
    }
  }
}
