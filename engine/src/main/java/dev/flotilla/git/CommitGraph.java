package dev.flotilla.git;

import java.io.IOException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/** Revisions of one repository: names to commit ids, and ancestry. Thread-safe. */
final class CommitGraph {
  private final Repository repository;
  private final String location;

  CommitGraph(Repository repository, String location) {
    this.repository = repository;
    this.location = location;
  }

  Repository repository() {
    return repository;
  }

  /** A branch, tag, full or abbreviated id, {@code HEAD}, {@code HEAD~1}... to its commit. */
  ObjectId resolve(String revision) throws GitSyncException {
    if (revision == null || revision.isBlank()) {
      throw unknown(revision, "no revision given", null);
    }
    try {
      // ^{commit} peels annotated tags and refuses trees and blobs.
      ObjectId id = repository.resolve(revision + "^{commit}");
      if (id == null) {
        throw unknown(revision, null, null);
      }
      return id;
    } catch (AmbiguousObjectException e) {
      throw unknown(revision, "abbreviated id matches several objects", e);
    } catch (RevisionSyntaxException | IncorrectObjectTypeException | MissingObjectException e) {
      throw unknown(revision, e.getMessage(), e);
    } catch (IOException e) {
      throw new GitSyncException(location, revision, GitSyncException.Reason.IO, e.getMessage(), e);
    }
  }

  /** True when {@code older} is {@code newer} or one of its ancestors. */
  boolean isAncestor(ObjectId older, ObjectId newer, String refForErrors) throws GitSyncException {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.isMergedInto(walk.parseCommit(older), walk.parseCommit(newer));
    } catch (IOException e) {
      throw new GitSyncException(
          location, refForErrors, GitSyncException.Reason.IO, e.getMessage(), e);
    }
  }

  private GitSyncException unknown(String revision, String detail, Throwable cause) {
    return new GitSyncException(
        location, revision, GitSyncException.Reason.UNKNOWN_REVISION, detail, cause);
  }
}
