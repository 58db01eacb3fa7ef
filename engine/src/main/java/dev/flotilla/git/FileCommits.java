package dev.flotilla.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * One file written as a commit without a work tree (into a bare mirror), and who brought a file to
 * a branch: the plumbing under promotion pull requests.
 */
final class FileCommits {
  /** How far back along the first parents {@link #whoAdded} looks for the commit that brought a file. */
  private static final int MAX_WALK = 1_000;

  private FileCommits() {}

  /** A commit on top of {@code base} whose tree is base's with {@code path} set to {@code content}; returns its id. */
  static ObjectId commitFile(Repository repository, ObjectId base, String path, String content, String message, PersonIdent who)
      throws IOException {
    try (ObjectInserter inserter = repository.newObjectInserter(); ObjectReader reader = repository.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      RevCommit parent = walk.parseCommit(base);
      ObjectId blob = inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
      DirCache index = DirCache.read(reader, parent.getTree());
      DirCacheEditor editor = index.editor();
      editor.add(new DirCacheEditor.PathEdit(path) {
        @Override
        public void apply(DirCacheEntry entry) {
          entry.setFileMode(FileMode.REGULAR_FILE);
          entry.setObjectId(blob);
        }
      });
      editor.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      commit.setParentId(parent);
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  /**
   * Who brought {@code path} to {@code newer}'s branch: the first commit along the first parents of
   * {@code newer} (not at or before {@code older}) whose tree holds the file and whose first parent's
   * does not. A merge commit brings what its other parents added, so its author (who merged) is the
   * one named; a fast-forward or squash names the author of the commit itself, or its committer when
   * the author's email is {@code notBy} (the engine's own). As {@code "Name <email>"}.
   */
  static Optional<String> whoAdded(Repository repository, ObjectId older, ObjectId newer, String path, String notBy) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit c = walk.parseCommit(newer);
      for (int i = 0; i < MAX_WALK && c != null && (older == null || !c.equals(older)); i++) {
        if (!has(repository, c, path)) return Optional.empty();
        RevCommit parent = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
        if (parent == null || !has(repository, parent, path)) {
          PersonIdent a = c.getAuthorIdent();
          // A fast-forward, squash or rebase merge keeps the engine's own commit: its committer merged.
          if (notBy != null && notBy.equalsIgnoreCase(a.getEmailAddress())) a = c.getCommitterIdent();
          return Optional.of(a.getName() + " <" + a.getEmailAddress() + ">");
        }
        c = parent;
      }
      return Optional.empty();
    }
  }

  private static boolean has(Repository repository, RevCommit commit, String path) throws IOException {
    try (TreeWalk tw = TreeWalk.forPath(repository, path, commit.getTree())) {
      return tw != null;
    }
  }

  static PersonIdent ident(String name, String email, Instant at) {
    return new PersonIdent(name, email, at, ZoneOffset.UTC);
  }
}
