package dev.flotilla.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FileUtils;

/**
 * A Git repository with a work tree in a test's temporary folder, for building fleet repo
 * histories: write files, commit (getting the commit id back), branch, tag, move branches (to
 * simulate a force push) and push to a bare repository that a test server serves.
 *
 * <p>Commits get a fixed author and a clock that ticks one second per commit, so histories are
 * reproducible. Failures are unchecked: in a test they mean the fixture is misused.
 *
 * <pre>{@code
 * GitFixture repo = GitFixture.init(tempDir.resolve("fleet"));
 * String first = repo.write("fleet.yaml", "...").commit("add fleet");
 * String second = repo.write("sites/a.yaml", "...").commit("add site a");
 * }</pre>
 */
public final class GitFixture implements AutoCloseable {
  public static final String MAIN = "main";

  private final Git git;
  private final Path workTree;
  private Instant clock = Instant.parse("2026-01-01T00:00:00Z");

  private GitFixture(Git git, Path workTree) {
    this.git = git;
    this.workTree = workTree;
  }

  /** A new repository with a work tree in {@code dir}, on branch {@value #MAIN}, no commits. */
  public static GitFixture init(Path dir) {
    return run(() -> new GitFixture(
        Git.init().setDirectory(dir.toFile()).setInitialBranch(MAIN).call(), dir));
  }

  /** A new, empty bare repository in {@code dir}, with HEAD on {@value #MAIN}: a "server" repo. */
  public static Path initBare(Path dir) {
    run(() -> {
      Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(MAIN).call().close();
      return null;
    });
    return dir;
  }

  public Path workTree() {
    return workTree;
  }

  public Repository repository() {
    return git.getRepository();
  }

  /** Writes a file (creating folders) in the work tree; {@code path} uses '/'. */
  public GitFixture write(String path, String content) {
    Path file = workTree.resolve(path);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Writes several files: path to content. */
  public GitFixture write(Map<String, String> files) {
    files.forEach(this::write);
    return this;
  }

  /** Deletes a file or folder from the work tree. */
  public GitFixture delete(String path) {
    try {
      FileUtils.delete(workTree.resolve(path).toFile(), FileUtils.RECURSIVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Stages every change (additions, edits and deletions) and commits; returns the commit id. */
  public String commit(String message) {
    return run(() -> {
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      PersonIdent author = new PersonIdent("Fleet Tester", "tester@flotilla.dev", clock,
          ZoneOffset.UTC);
      clock = clock.plusSeconds(1);
      RevCommit commit = git.commit().setMessage(message).setAuthor(author).setCommitter(author)
          .setSign(false).setAllowEmpty(true).call();
      return commit.name();
    });
  }

  /**
   * Stages every change and commits, signed by {@code signer} (JGit's signing seam: a test's
   * OpenPGP key, see {@link CommitSigning}); returns the commit id.
   */
  public String commitSigned(String message, org.eclipse.jgit.lib.Signer signer, org.eclipse.jgit.lib.GpgConfig.GpgFormat format) {
    return run(() -> {
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      PersonIdent author = new PersonIdent("Fleet Tester", "tester@flotilla.dev", clock, ZoneOffset.UTC);
      clock = clock.plusSeconds(1);
      org.eclipse.jgit.lib.Config config = new org.eclipse.jgit.lib.Config();
      config.setString("gpg", null, "format", format.toConfigValue());
      RevCommit commit = git.commit().setMessage(message).setAuthor(author).setCommitter(author)
          .setSign(true).setSigner(signer).setSigningKey("test-key").setGpgConfig(new org.eclipse.jgit.lib.GpgConfig(config))
          .setAllowEmpty(true).call();
      return commit.name();
    });
  }

  /** Creates a branch at the current commit and checks it out. */
  public GitFixture branch(String name) {
    run(() -> git.checkout().setCreateBranch(true).setName(name).call());
    return this;
  }

  /** Checks out an existing branch. */
  public GitFixture checkout(String branch) {
    run(() -> git.checkout().setName(branch).call());
    return this;
  }

  /** An annotated tag on the current commit. */
  public GitFixture tag(String name) {
    run(() -> git.tag().setName(name).setMessage("tag " + name).setAnnotated(true)
        .setSigned(false).call());
    return this;
  }

  /**
   * Moves the current branch, index and work tree to {@code commit} (git reset --hard): the
   * history after it is gone from the branch, as after a force push.
   */
  public GitFixture resetHard(String commit) {
    run(() -> git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit).call());
    return this;
  }

  /**
   * Starts a history with no parent on a new branch, checked out with an empty work tree: the
   * next commit is unrelated to every earlier one.
   */
  public GitFixture orphan(String branch) {
    run(() -> git.checkout().setOrphan(true).setName(branch).call());
    run(() -> git.rm().addFilepattern(".").call());
    return this;
  }

  /** Points {@code branch} of this repository at {@code commit} without checking anything out. */
  public GitFixture moveBranch(String branch, String commit) {
    try {
      RefUpdate update = repository().updateRef("refs/heads/" + branch);
      update.setNewObjectId(ObjectId.fromString(commit));
      update.setForceUpdate(true);
      update.update();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public String head() {
    return run(() -> repository().resolve("HEAD").name());
  }

  /** Pushes (force) a branch and all tags to another repository, such as one a server serves. */
  public GitFixture pushTo(Path bareRepository, String branch) {
    return pushTo(bareRepository.toUri().toString(), branch);
  }

  /** Pushes (force) a branch and all tags to a URL, such as a git daemon's with pushes enabled. */
  public GitFixture pushTo(String url, String branch) {
    run(() -> git.push().setRemote(url)
        .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch))
        .setPushTags().setForce(true).call());
    return this;
  }

  @Override
  public void close() {
    git.close();
  }

  private interface GitCall<T> {
    T call() throws GitAPIException, IOException;
  }

  private static <T> T run(GitCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException("git fixture: " + e.getMessage(), e);
    }
  }
}
