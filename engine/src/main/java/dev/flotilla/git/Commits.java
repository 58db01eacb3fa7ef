package dev.flotilla.git;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** Committing a whole work tree as one author, as the demo and the benchmarks write their fleet repos. */
public final class Commits {
  private Commits() {}

  /** Stages every file of the work tree and commits it; returns the full commit id. Never signs. */
  public static String commitAll(Git git, String message, PersonIdent author) throws GitAPIException {
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(author).setCommitter(author).setSign(false).call().getName();
  }
}
