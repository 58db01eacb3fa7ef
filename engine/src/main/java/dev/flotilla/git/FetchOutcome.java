package dev.flotilla.git;

import java.util.Objects;

/**
 * What one fetch of a branch found.
 *
 * @param branch the branch fetched, e.g. {@code main}
 * @param previousCommit the branch's commit before the fetch, or null when it had never been
 *     fetched
 * @param commit the branch's commit after the fetch
 * @param forced true when {@code commit} does not descend from {@code previousCommit}: the branch
 *     was force-pushed (reset to an older or an unrelated commit)
 */
public record FetchOutcome(String branch, String previousCommit, String commit, boolean forced) {
  public FetchOutcome {
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(commit, "commit");
  }

  /** True when the branch now points at a different commit than before the fetch. */
  public boolean changed() {
    return !commit.equals(previousCommit);
  }
}
