package dev.flotilla.git;

import dev.flotilla.fleet.SignedCommits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * A fleet repo in a local folder, possibly a sub-folder of a Git repository (such as {@code
 * fleet-repo-example/} inside Flotilla's own repository). Revisions are read from the enclosing
 * repository, restricted to that sub-folder.
 */
final class LocalFleetRepo implements FleetRepoSource {
  /** Appended to the commit id of a folder with uncommitted changes. */
  static final String DIRTY = "-dirty";

  private final Path folder;
  private final Repository repository;
  private final String subFolder;
  private final CommitGraph graph;
  private final SnapshotWriter writer;
  private final CommitSignatures signatures;

  private LocalFleetRepo(Path folder, Repository repository, String subFolder, Path cacheDir) {
    this.folder = folder;
    this.repository = repository;
    this.subFolder = subFolder;
    this.graph = repository == null ? null : new CommitGraph(repository, folder.toString());
    this.writer = new SnapshotWriter(cacheDir);
    this.signatures = repository == null ? null : new CommitSignatures(repository, folder.toString(), cacheDir.resolve("signers"));
  }

  static LocalFleetRepo open(Path path, Path cacheDir) throws GitSyncException {
    Path folder;
    try {
      folder = path.toRealPath();
    } catch (IOException e) {
      throw new GitSyncException(path.toString(), null, GitSyncException.Reason.NOT_A_REPOSITORY,
          "no such folder", e);
    }
    if (!Files.isDirectory(folder)) {
      throw new GitSyncException(folder.toString(), null,
          GitSyncException.Reason.NOT_A_REPOSITORY, "not a folder");
    }
    try {
      if (RepositoryCache.FileKey.isGitRepository(folder.toFile(), FS.DETECTED)) {
        Repository bare = new FileRepositoryBuilder().setGitDir(folder.toFile()).build();
        return new LocalFleetRepo(folder, bare, "", cacheDir);
      }
      Path top = enclosingWorkTree(folder);
      if (top == null) {
        return new LocalFleetRepo(folder, null, "", cacheDir);
      }
      // Setting the work tree (not only findGitDir) also handles a ".git" file, as in a linked
      // worktree or a submodule.
      Repository repository = new FileRepositoryBuilder().setWorkTree(top.toFile()).build();
      String sub = top.relativize(folder).toString().replace(folder.getFileSystem()
          .getSeparator(), "/");
      return new LocalFleetRepo(folder, repository, sub, cacheDir);
    } catch (IOException e) {
      throw new GitSyncException(folder.toString(), null, GitSyncException.Reason.IO,
          "cannot open the enclosing Git repository: " + e.getMessage(), e);
    }
  }

  private static Path enclosingWorkTree(Path folder) {
    for (Path dir = folder; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        return dir;
      }
    }
    return null;
  }

  @Override
  public String location() {
    return folder.toString();
  }

  @Override
  public String resolve(String revision) throws GitSyncException {
    return graph(revision).resolve(revision).name();
  }

  @Override
  public Snapshot snapshot(String revision) throws GitSyncException {
    if (revision == null || revision.equals(Snapshot.WORKTREE)) {
      return new Snapshot(folder, Snapshot.WORKTREE);
    }
    ObjectId commit = graph(revision).resolve(revision);
    return writer.write(repository, commit, subFolder, location());
  }

  @Override
  public String revisionStamp(Snapshot snapshot) throws GitSyncException {
    if (!snapshot.isWorktree() || graph == null) return snapshot.revision();
    try {
      ObjectId head = repository.resolve(Constants.HEAD);
      if (head == null) return Snapshot.WORKTREE;
      StatusCommand status = Git.wrap(repository).status();
      if (!subFolder.isEmpty()) status.addPath(subFolder);
      return head.name() + (status.call().isClean() ? "" : DIRTY);
    } catch (IOException | GitAPIException e) {
      throw new GitSyncException(location(), "HEAD", GitSyncException.Reason.IO,
          "cannot tell whether the folder has uncommitted changes: " + e.getMessage(), e);
    }
  }

  @Override
  public FetchOutcome fetch(String branch) throws GitSyncException {
    String commit = resolve(branch);
    return new FetchOutcome(branch, commit, commit, false);
  }

  @Override
  public boolean pushFileCommit(String branch, String base, String path, String content, String message, String authorName,
      String authorEmail, java.time.Instant at) throws GitSyncException {
    throw new GitSyncException(location(), branch, GitSyncException.Reason.NOT_A_REPOSITORY,
        "a local fleet repo folder has no remote to push a branch to: serve the fleet repo from a URL to open pull requests");
  }

  @Override
  public java.util.Optional<String> whoAdded(String older, String newer, String path, String notBy) throws GitSyncException {
    CommitGraph commits = graph(newer);
    try {
      return FileCommits.whoAdded(commits.repository(), older == null ? null : commits.resolve(older), commits.resolve(newer),
          subFolder.isEmpty() ? path : subFolder + "/" + path, notBy);
    } catch (java.io.IOException e) {
      throw new GitSyncException(location(), newer, GitSyncException.Reason.IO, "cannot read the history of " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void fetchCommit(String commit, String remoteRef) {
    // A local folder's repository has every commit it will ever have; nothing to fetch.
  }

  @Override
  public boolean isAncestor(String older, String newer) throws GitSyncException {
    CommitGraph commits = graph(older);
    return commits.isAncestor(commits.resolve(older), commits.resolve(newer), newer);
  }

  @Override
  public SignatureVerdict checkSignature(String commit, SignedCommits policy) throws GitSyncException {
    ObjectId id = graph(commit).resolve(commit);
    return signatures.check(id, policy);
  }

  @Override
  public String defaultBranch() throws GitSyncException {
    try {
      return graph(null).repository().getBranch();
    } catch (IOException e) {
      throw new GitSyncException(location(), "HEAD", GitSyncException.Reason.IO, e.getMessage(), e);
    }
  }

  private CommitGraph graph(String revision) throws GitSyncException {
    if (graph == null) {
      throw new GitSyncException(location(), revision, GitSyncException.Reason.NOT_A_REPOSITORY,
          "the folder is in no Git repository, so it can only be read as it is");
    }
    return graph;
  }

  @Override
  public void close() {
    if (repository != null) {
      repository.close();
    }
  }
}
