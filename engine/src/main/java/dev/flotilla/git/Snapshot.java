package dev.flotilla.git;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The fleet repo's files at one revision, as a folder on disk.
 *
 * <p>A snapshot of a commit is immutable and shared: never write into {@link #root()}. The snapshot
 * of a local folder read as it is ({@link #WORKTREE}) is the folder itself and may change.
 *
 * @param root the folder whose files are exactly the fleet repo's files
 * @param revision the full 40-hex commit id, or {@link #WORKTREE}
 */
public record Snapshot(Path root, String revision) {
  /** The revision of a local folder read as it is, uncommitted changes included. */
  public static final String WORKTREE = "worktree";

  public Snapshot {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(revision, "revision");
    if (!revision.equals(WORKTREE) && !revision.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException(
          "revision must be a full commit id or '" + WORKTREE + "': " + revision);
    }
  }

  public boolean isWorktree() {
    return revision.equals(WORKTREE);
  }
}
