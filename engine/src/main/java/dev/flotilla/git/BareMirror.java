package dev.flotilla.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.util.FileUtils;

/**
 * The bare mirror of a remote's branches and tags in the cache, and the fetch that updates it.
 *
 * <p>Safety on failure comes from Git's own order of work: a fetch writes the new objects first
 * and moves refs last, and never deletes objects; this class never prunes refs either, so a failed
 * fetch leaves every previously fetched revision readable. The first clone is made in a temporary
 * folder and renamed into place, so a half clone is never mistaken for a mirror.
 */
final class BareMirror {
  static final int TIMEOUT_SECONDS = 60;
  private static final List<RefSpec> REFSPECS = List.of(
      new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"));

  private BareMirror() {}

  static Repository openOrClone(RemoteUrl url, Path gitDir, TransportSetup transport)
      throws GitSyncException {
    try {
      if (!Files.isDirectory(gitDir)) {
        cloneInto(url, gitDir, transport);
      }
      return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    } catch (IOException e) {
      throw new GitSyncException(url.display(), null, GitSyncException.Reason.IO,
          "cannot open the mirror in " + gitDir + ": " + e.getMessage(), e);
    }
  }

  private static void cloneInto(RemoteUrl url, Path gitDir, TransportSetup transport)
      throws IOException, GitSyncException {
    Files.createDirectories(gitDir.getParent());
    Path temporary = Files.createTempDirectory(gitDir.getParent(), ".clone-");
    try {
      try (Git git = Git.init().setBare(true).setGitDir(temporary.toFile()).call()) {
        disableAutomaticGarbageCollection(git.getRepository());
        FetchResult result = fetch(git.getRepository(), url, transport, null);
        pointHeadAtRemoteHead(git.getRepository(), result);
      } catch (GitAPIException e) {
        throw new GitSyncException(url.display(), null, GitSyncException.Reason.IO,
            "cannot create the mirror: " + e.getMessage(), e);
      }
      try {
        Files.move(temporary, gitDir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // Another process cloned it meanwhile; use theirs.
        if (!Files.isDirectory(gitDir)) {
          throw e;
        }
      }
    } finally {
      if (Files.exists(temporary)) {
        FileUtils.delete(temporary.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
      }
    }
  }

  /**
   * JGit would otherwise collect garbage in a background thread after a fetch: in the temporary
   * clone while it is renamed, and in the mirror while snapshots are read. It could also prune
   * commits a force push left behind, which must stay readable.
   */
  private static void disableAutomaticGarbageCollection(Repository repository) throws IOException {
    StoredConfig config = repository.getConfig();
    config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
    // Even a collection that finds nothing to do locks gc.log from a background thread.
    config.setBoolean(
        ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
    config.save();
  }

  /** Fetches every branch and tag; {@code ref} only names what was asked for in errors. */
  static FetchResult fetch(Repository repository, RemoteUrl url, TransportSetup transport,
      String ref) throws GitSyncException {
    return fetch(repository, url, transport, ref, REFSPECS);
  }

  /** Fetches the given ref specs; {@code ref} names what is fetched in an error. */
  static FetchResult fetch(Repository repository, RemoteUrl url, TransportSetup transport,
      String ref, List<RefSpec> refSpecs) throws GitSyncException {
    try (Git git = Git.wrap(repository)) {
      var command = git.fetch()
          .setRemote(url.display())
          .setRefSpecs(refSpecs)
          .setTagOpt(TagOpt.NO_TAGS)
          .setRemoveDeletedRefs(false)
          .setTimeout(TIMEOUT_SECONDS);
      transport.applyTo(command);
      return command.call();
    } catch (GitAPIException | RuntimeException e) {
      GitSyncException.Reason reason = TransportFailures.classify(e);
      throw new GitSyncException(url.display(), ref, reason, transport.redact(TransportFailures.describe(e, reason)), e);
    }
  }

  /**
   * Pushes {@code commit} to the new branch {@code branch} of the remote, never forced; returns
   * false when the remote has that branch already (the push is refused as not a fast-forward, or
   * the branch is there at this very commit), true when created.
   */
  static boolean push(Repository repository, RemoteUrl url, TransportSetup transport, ObjectId commit, String branch)
      throws GitSyncException {
    try (Git git = Git.wrap(repository)) {
      var command = git.push()
          .setRemote(url.display())
          .setRefSpecs(new RefSpec(commit.name() + ":" + Constants.R_HEADS + branch))
          .setTimeout(TIMEOUT_SECONDS);
      transport.applyTo(command);
      for (org.eclipse.jgit.transport.PushResult result : command.call()) {
        org.eclipse.jgit.transport.RemoteRefUpdate update = result.getRemoteUpdate(Constants.R_HEADS + branch);
        if (update == null) continue;
        switch (update.getStatus()) {
          case OK:
            return true;
          case UP_TO_DATE:
          case REJECTED_NONFASTFORWARD:
          case REJECTED_REMOTE_CHANGED:
            return false;
          default:
            throw new GitSyncException(url.display(), branch, GitSyncException.Reason.IO,
                "push refused: " + update.getStatus() + (update.getMessage() == null ? "" : " (" + transport.redact(update.getMessage()) + ")"));
        }
      }
      throw new GitSyncException(url.display(), branch, GitSyncException.Reason.IO, "push reported nothing for the branch");
    } catch (GitAPIException | RuntimeException e) {
      throw new GitSyncException(url.display(), branch, TransportFailures.classify(e),
          transport.redact(TransportFailures.describe(e)), e);
    }
  }

  /** True when the remote advertises {@code ref} (one ls-remote round trip). */
  static boolean advertises(RemoteUrl url, TransportSetup transport, String ref) throws GitSyncException {
    try {
      var command = Git.lsRemoteRepository().setRemote(url.display()).setTimeout(TIMEOUT_SECONDS);
      transport.applyTo(command);
      return command.callAsMap().containsKey(ref);
    } catch (GitAPIException | RuntimeException e) {
      throw new GitSyncException(url.display(), ref, TransportFailures.classify(e),
          transport.redact(TransportFailures.describe(e)), e);
    }
  }

  /** Makes the mirror's HEAD name the remote's default branch, when the remote says which. */
  static void pointHeadAtRemoteHead(Repository repository, FetchResult result)
      throws IOException {
    Optional<String> branch = remoteHeadBranch(result);
    if (branch.isPresent()) {
      RefUpdate update = repository.updateRef(Constants.HEAD);
      update.disableRefLog();
      update.link(branch.get());
    }
  }

  private static Optional<String> remoteHeadBranch(FetchResult result) {
    Ref head = result.getAdvertisedRef(Constants.HEAD);
    if (head == null) {
      return Optional.empty();
    }
    if (head.isSymbolic()) {
      return Optional.of(head.getTarget().getName());
    }
    // An old server that does not say which branch HEAD is: take a branch at the same commit,
    // main or master first, as Git's clone does.
    return result.getAdvertisedRefs().stream()
        .filter(ref -> ref.getName().startsWith(Constants.R_HEADS))
        .filter(ref -> head.getObjectId() != null && head.getObjectId().equals(ref.getObjectId()))
        .map(Ref::getName)
        .min(Comparator.comparing((String name) -> !name.equals("refs/heads/main"))
            .thenComparing(name -> !name.equals("refs/heads/master"))
            .thenComparing(Comparator.naturalOrder()));
  }
}
