package dev.flotilla.git;

import dev.flotilla.fleet.SignedCommits;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the fleet repo is read from: a local folder, or a remote Git repository mirrored into a
 * cache folder. Reads any revision as an immutable {@link Snapshot} on disk, so that two revisions
 * can be rendered side by side and the rest of Flotilla only ever reads a folder.
 *
 * <p>Opened with {@link #open}, from either
 *
 * <ul>
 *   <li>a URL: {@code file://}, {@code git://}, {@code http(s)://}, {@code ssh://} or scp-like
 *       {@code git@host:path}. The repository is cloned bare into {@code
 *       <cacheDir>/git/<sha256(url) first 16 hex>.git} the first time and updated by {@link
 *       #fetch} after that (a mirror of the branches and tags). Or
 *   <li>a local path, which may be a folder inside a Git repository. Without a revision it is read
 *       as it is ({@link Snapshot#WORKTREE}); with one, that folder at that commit.
 * </ul>
 *
 * <p>Snapshots are written under {@code <cacheDir>/trees/}. All methods are thread-safe.
 */
public sealed interface FleetRepoSource extends AutoCloseable
    permits LocalFleetRepo, MirroredFleetRepo {

  /** Opens a URL or local path, with the environment of this process for token variables. */
  static FleetRepoSource open(String location, Path cacheDir, GitAuth auth)
      throws GitSyncException {
    return open(location, cacheDir, auth, System.getenv());
  }

  /** Opens a URL or local path; {@code environment} is where {@link GitAuth#tokenEnv} is read. */
  static FleetRepoSource open(
      String location, Path cacheDir, GitAuth auth, Map<String, String> environment)
      throws GitSyncException {
    if (RemoteUrl.isUrl(location)) {
      return MirroredFleetRepo.open(RemoteUrl.parse(location), cacheDir, auth, environment);
    }
    return LocalFleetRepo.open(Path.of(location), cacheDir);
  }

  /** True when {@code location} is a URL rather than a local path (see {@link #open}). */
  static boolean isUrl(String location) {
    return RemoteUrl.isUrl(location);
  }

  /** The repository as it appears in logs and messages: a URL without credentials, or a path. */
  String location();

  /** The full 40-hex id of the commit a revision names. */
  String resolve(String revision) throws GitSyncException;

  /**
   * The fleet repo's files at a revision. A null revision means the folder as it is for a local
   * path, and the default branch for a URL.
   */
  Snapshot snapshot(String revision) throws GitSyncException;

  /**
   * The revision to stamp on what is rendered from {@code snapshot}: its commit id; for a local
   * folder read as it is, the commit id of its repository's HEAD, with {@code -dirty} appended when
   * the folder has uncommitted changes (untracked files included: Flotilla reads them). A folder in
   * no Git repository, or in one without commits, is {@link Snapshot#WORKTREE}.
   */
  String revisionStamp(Snapshot snapshot) throws GitSyncException;

  /**
   * Fetches the branches and tags of a URL repository and reports how {@code branch} moved. For a
   * local path nothing is fetched and the branch's current commit is reported as unchanged.
   *
   * <p>A failure leaves everything fetched before readable.
   */
  FetchOutcome fetch(String branch) throws GitSyncException;

  /**
   * Makes {@code commit} readable when no branch has it, as the head of a pull request from a fork:
   * for a URL repository without that commit, fetches {@code remoteRef} (such as GitHub's {@code
   * refs/pull/7/head}) into the mirror under {@code refs/flotilla/}. A local path, or a mirror that
   * already has the commit, fetches nothing.
   */
  void fetchCommit(String commit, String remoteRef) throws GitSyncException;

  /** True when {@code older} is {@code newer} or one of its ancestors. */
  boolean isAncestor(String older, String newer) throws GitSyncException;

  /**
   * Judges the signature of {@code commit} against the allowed signers of {@code policy}: trusted
   * only when it is signed by one of their keys and the signature verifies over the commit.
   */
  SignatureVerdict checkSignature(String commit, SignedCommits policy) throws GitSyncException;

  /**
   * Pushes the branch {@code branch} to the remote: one commit on top of {@code base} (a commit id)
   * that writes {@code path} with {@code content}, by {@code authorName <authorEmail>} at {@code
   * at}. Never forced: when the branch exists on the remote already (an earlier attempt pushed it,
   * or someone moved it), it is left as it is and false is returned; true when this call created it.
   * A local fleet repo has no remote to push to.
   */
  boolean pushFileCommit(String branch, String base, String path, String content, String message, String authorName,
      String authorEmail, java.time.Instant at) throws GitSyncException;

  /**
   * Who brought {@code path} to the branch of {@code newer} since {@code older} (null: ever), as
   * {@code "Name <email>"}: the author of the first commit along {@code newer}'s first parents that
   * added it (for a merge commit, who merged; for a commit by {@code notBy}, an email, its committer).
   * Empty when no commit in that range added it.
   */
  java.util.Optional<String> whoAdded(String older, String newer, String path, String notBy) throws GitSyncException;

  /** The remote's default branch (its HEAD) for a URL, the current branch for a local path. */
  String defaultBranch() throws GitSyncException;

  @Override
  void close();
}
