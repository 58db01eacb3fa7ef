package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.GitFixture;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing one file as a commit without a work tree, and finding who brought a file to a branch. */
class FileCommitsTest {
  static final String PATH = "promotions/web/web-0123456789ab-canary.yaml";
  static final String ENGINE = "flotilla@noreply.flotilla.dev";
  @TempDir Path dir;
  GitFixture git;
  String base;

  @BeforeEach
  void repo() {
    git = GitFixture.init(dir.resolve("repo"));
    git.write("fleet.yaml", "kind: Fleet\n");
    base = git.commit("base");
  }

  @AfterEach
  void close() {
    git.close();
  }

  ObjectId id(String name) {
    return ObjectId.fromString(name);
  }

  ObjectId promotionCommit() throws Exception {
    return FileCommits.commitFile(git.repository(), id(base), PATH, "kind: Promotion\n", "Promote web",
        FileCommits.ident("Flotilla", ENGINE, Instant.parse("2026-12-10T10:00:00Z")));
  }

  @Test
  void theCommitKeepsEveryFileOfItsBaseAndAddsTheOne() throws Exception {
    ObjectId c = promotionCommit();
    try (RevWalk walk = new RevWalk(git.repository())) {
      RevCommit commit = walk.parseCommit(c);
      assertThat(commit.getParent(0).name()).isEqualTo(base);
      assertThat(TreeWalk.forPath(git.repository(), "fleet.yaml", commit.getTree())).isNotNull();
      assertThat(TreeWalk.forPath(git.repository(), PATH, commit.getTree())).isNotNull();
      assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo(ENGINE);
    }
  }

  @Test
  void aMergeCommitNamesWhoMerged() throws Exception {
    ObjectId promotion = promotionCommit();
    Git.wrap(git.repository()).merge().include(promotion).setFastForward(MergeCommand.FastForwardMode.NO_FF).setCommit(false).call();
    PersonIdent alice = new PersonIdent("Alice", "alice@example.com");
    String merge = Git.wrap(git.repository()).commit().setMessage("merge").setAuthor(alice).setCommitter(alice).setSign(false).call().name();

    assertThat(FileCommits.whoAdded(git.repository(), id(base), id(merge), PATH, ENGINE)).contains("Alice <alice@example.com>");
  }

  @Test
  void theEnginesOwnCommitIsCreditedToItsCommitter() throws Exception {
    // GitHub's squash and rebase merges keep the pull request's author and commit as the one who merged.
    git.write(PATH, "kind: Promotion\n");
    Git.wrap(git.repository()).add().addFilepattern(".").call();
    String squash = Git.wrap(git.repository()).commit().setMessage("Promote web (#7)")
        .setAuthor(new PersonIdent("Flotilla", ENGINE)).setCommitter(new PersonIdent("Bob", "bob@example.com")).setSign(false).call().name();

    assertThat(FileCommits.whoAdded(git.repository(), id(base), id(squash), PATH, ENGINE)).contains("Bob <bob@example.com>");
    assertThat(FileCommits.whoAdded(git.repository(), id(base), id(squash), PATH, null)).contains("Flotilla <" + ENGINE + ">");
    assertThat(FileCommits.whoAdded(git.repository(), id(base), id(base), PATH, ENGINE)).as("not on the branch").isEmpty();
  }

  @Test
  void aSquashByAPersonNamesThatPerson() throws Exception {
    git.write(PATH, "kind: Promotion\n");
    String squash = git.commit("squashed promotion");
    assertThat(FileCommits.whoAdded(git.repository(), id(base), id(squash), PATH, ENGINE)).contains("Fleet Tester <tester@flotilla.dev>");
  }
}
