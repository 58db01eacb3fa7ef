package dev.flotilla.git;


import dev.flotilla.fleet.SignedCommits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A remote fleet repo, read from its bare mirror in the cache folder. */
final class MirroredFleetRepo implements FleetRepoSource {
  private static final Logger LOG = LoggerFactory.getLogger(MirroredFleetRepo.class);

  private final RemoteUrl url;
  private final Repository repository;
  private final TransportSetup transport;
  private final CommitGraph graph;
  private final SnapshotWriter writer;
  private final CommitSignatures signatures;
  private final Object fetchLock = new Object();

  private MirroredFleetRepo(
      RemoteUrl url, Repository repository, TransportSetup transport, Path cacheDir) {
    this.url = url;
    this.repository = repository;
    this.transport = transport;
    this.graph = new CommitGraph(repository, url.display());
    this.writer = new SnapshotWriter(cacheDir);
    this.signatures = new CommitSignatures(repository, url.display(), cacheDir.resolve("signers"));
  }

  static MirroredFleetRepo open(
      RemoteUrl url, Path cacheDir, GitAuth auth, Map<String, String> environment)
      throws GitSyncException {
    TransportSetup transport = TransportSetup.of(url, auth, environment);
    try {
      Path gitDir = cacheDir.resolve("git").resolve(url.cacheKey() + ".git");
      Repository repository = BareMirror.openOrClone(url, gitDir, transport);
      return new MirroredFleetRepo(url, repository, transport, cacheDir);
    } catch (GitSyncException | RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  @Override
  public String location() {
    return url.display();
  }

  @Override
  public String revisionStamp(Snapshot snapshot) {
    return snapshot.revision();
  }

  @Override
  public String resolve(String revision) throws GitSyncException {
    return graph.resolve(revision).name();
  }

  @Override
  public Snapshot snapshot(String revision) throws GitSyncException {
    String wanted = revision == null ? defaultBranch() : revision;
    return writer.write(repository, graph.resolve(wanted), "", location());
  }

  @Override
  public FetchOutcome fetch(String branch) throws GitSyncException {
    String refName = Constants.R_HEADS + branch;
    // One fetch at a time per mirror; readers go on reading the refs as they are meanwhile.
    synchronized (fetchLock) {
      ObjectId before = branchCommit(refName, branch);
      FetchResult result = BareMirror.fetch(repository, url, transport, branch);
      if (result.getAdvertisedRef(refName) == null) {
        throw new GitSyncException(location(), branch, GitSyncException.Reason.MISSING_BRANCH,
            "the remote has no branch '" + branch + "'");
      }
      updateHead(result, branch);
      ObjectId after = branchCommit(refName, branch);
      boolean forced = before != null && !graph.isAncestor(before, after, branch);
      FetchOutcome outcome = new FetchOutcome(
          branch, before == null ? null : before.name(), after.name(), forced);
      log(outcome);
      return outcome;
    }
  }

  @Override
  public void fetchCommit(String commit, String remoteRef) throws GitSyncException {
    if (!ObjectId.isId(commit)) {
      throw new GitSyncException(location(), commit, GitSyncException.Reason.UNKNOWN_REVISION, "'" + commit + "' is not a full commit id");
    }
    if (!remoteRef.matches("refs/[A-Za-z0-9._/-]+") || remoteRef.contains("..")) {
      throw new GitSyncException(location(), remoteRef, GitSyncException.Reason.UNKNOWN_REVISION, "'" + remoteRef + "' is not a ref name");
    }
    synchronized (fetchLock) {
      if (has(commit, remoteRef)) return;
      if (!BareMirror.advertises(url, transport, remoteRef)) {
        throw new GitSyncException(location(), remoteRef, GitSyncException.Reason.UNKNOWN_REVISION,
            "commit " + commit + " is on no branch, and the remote has no " + remoteRef);
      }
      String local = "refs/flotilla/" + remoteRef.substring("refs/".length());
      BareMirror.fetch(repository, url, transport, remoteRef, List.of(new RefSpec("+" + remoteRef + ":" + local)));
      if (!has(commit, remoteRef)) {
        throw new GitSyncException(location(), remoteRef, GitSyncException.Reason.UNKNOWN_REVISION,
            "neither a branch nor " + remoteRef + " has commit " + commit);
      }
      LOG.info("git fetch {} {}: {}", location(), remoteRef, abbreviate(commit));
    }
  }

  private boolean has(String commit, String ref) throws GitSyncException {
    try {
      return repository.getObjectDatabase().has(ObjectId.fromString(commit));
    } catch (IOException e) {
      throw new GitSyncException(location(), ref, GitSyncException.Reason.IO, e.getMessage(), e);
    }
  }

  private ObjectId branchCommit(String refName, String branch) throws GitSyncException {
    try {
      Ref ref = repository.exactRef(refName);
      return ref == null ? null : ref.getObjectId();
    } catch (IOException e) {
      throw new GitSyncException(location(), branch, GitSyncException.Reason.IO, e.getMessage(), e);
    }
  }

  private void updateHead(FetchResult result, String branch) throws GitSyncException {
    try {
      BareMirror.pointHeadAtRemoteHead(repository, result);
    } catch (IOException e) {
      throw new GitSyncException(location(), branch, GitSyncException.Reason.IO,
          "cannot record the remote's default branch: " + e.getMessage(), e);
    }
  }

  private void log(FetchOutcome outcome) {
    if (!outcome.changed()) {
      LOG.debug("git fetch {} {}: unchanged at {}", location(), outcome.branch(),
          abbreviate(outcome.commit()));
    } else {
      LOG.info("git fetch {} {}: {}..{}{}", location(), outcome.branch(),
          abbreviate(outcome.previousCommit()), abbreviate(outcome.commit()),
          outcome.forced() ? " (forced update)" : "");
    }
  }

  private static String abbreviate(String commit) {
    return commit == null ? "(none)" : commit.substring(0, 7);
  }

  @Override
  public boolean pushFileCommit(String branch, String base, String path, String content, String message, String authorName,
      String authorEmail, java.time.Instant at) throws GitSyncException {
    ObjectId commit;
    try {
      commit = FileCommits.commitFile(repository, graph.resolve(base), path, content, message,
          FileCommits.ident(authorName, authorEmail, at));
    } catch (IOException e) {
      throw new GitSyncException(location(), branch, GitSyncException.Reason.IO, "cannot write the commit of " + path + ": " + e.getMessage(), e);
    }
    return BareMirror.push(repository, url, transport, commit, branch);
  }

  @Override
  public java.util.Optional<String> whoAdded(String older, String newer, String path, String notBy) throws GitSyncException {
    try {
      return FileCommits.whoAdded(repository, older == null ? null : graph.resolve(older), graph.resolve(newer), path, notBy);
    } catch (IOException e) {
      throw new GitSyncException(location(), newer, GitSyncException.Reason.IO, "cannot read the history of " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean isAncestor(String older, String newer) throws GitSyncException {
    return graph.isAncestor(graph.resolve(older), graph.resolve(newer), newer);
  }

  @Override
  public SignatureVerdict checkSignature(String commit, SignedCommits policy) throws GitSyncException {
    return signatures.check(graph.resolve(commit), policy);
  }

  @Override
  public String defaultBranch() throws GitSyncException {
    try {
      Ref head = repository.exactRef(Constants.HEAD);
      if (head == null || !head.isSymbolic()) {
        throw new GitSyncException(location(), Constants.HEAD,
            GitSyncException.Reason.UNKNOWN_REVISION, "the remote names no default branch");
      }
      return Repository.shortenRefName(head.getTarget().getName());
    } catch (IOException e) {
      throw new GitSyncException(location(), Constants.HEAD, GitSyncException.Reason.IO,
          e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    repository.close();
    transport.close();
  }
}
