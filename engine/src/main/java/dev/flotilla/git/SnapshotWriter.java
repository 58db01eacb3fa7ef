package dev.flotilla.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FileUtils;

/**
 * Writes the tree of a commit (or of one folder in it) to {@code <cacheDir>/trees/<commit>[-<folder
 * hash>]/}.
 *
 * <p>The files are written to a temporary folder that is then renamed into place, so a folder
 * under that name is always complete; an existing one is reused as it is. Two threads or processes
 * writing the same snapshot both succeed, and one copy wins.
 *
 * <p>Executable files keep their executable bit. A symbolic link is written as a symbolic link to
 * the same target, as a checkout writes it, so that a revision is judged exactly like a working
 * tree: every reader goes through {@link dev.flotilla.fleet.RepoJail}, which refuses a link that
 * leads out of the snapshot and follows one that stays inside. A submodule becomes an empty
 * folder, as in a clone without {@code --recurse-submodules}.
 */
final class SnapshotWriter {
  /** Longer than any path a file system takes; a larger "link" blob is refused by JGit. */
  private static final int LINK_TARGET_MAX = 64 * 1024;
  private final Path trees;

  SnapshotWriter(Path cacheDir) {
    // Absolute and normalized: tree entries are checked to stay below it after normalizing them.
    this.trees = cacheDir.toAbsolutePath().normalize().resolve("trees");
  }

  Snapshot write(Repository repository, ObjectId commit, String folder, String location)
      throws GitSyncException {
    String name = commit.name() + (folder.isEmpty() ? "" : "-" + Hashes.sha256Prefix(folder, 12));
    Path target = trees.resolve(name);
    if (Files.isDirectory(target)) {
      return new Snapshot(target, commit.name());
    }
    Path temporary = null;
    try {
      Files.createDirectories(trees);
      temporary = Files.createTempDirectory(trees, ".tmp-" + name + "-");
      writeTree(repository, commit, folder, temporary, location);
      moveIntoPlace(temporary, target);
      return new Snapshot(target, commit.name());
    } catch (IOException e) {
      throw new GitSyncException(location, commit.name(), GitSyncException.Reason.IO,
          "cannot write snapshot to " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  private static void moveIntoPlace(Path temporary, Path target) throws IOException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Someone else finished the same snapshot first: theirs is complete and identical.
      if (!Files.isDirectory(target)) {
        throw e;
      }
    }
  }

  private static void writeTree(
      Repository repository, ObjectId commit, String folder, Path destination, String location)
      throws IOException, GitSyncException {
    try (ObjectReader reader = repository.newObjectReader();
        RevWalk revWalk = new RevWalk(reader);
        TreeWalk treeWalk = new TreeWalk(reader)) {
      treeWalk.addTree(treeOf(reader, revWalk.parseCommit(commit), folder, location));
      treeWalk.setRecursive(true);
      while (treeWalk.next()) {
        Path file = destination.resolve(treeWalk.getPathString()).normalize();
        if (!file.startsWith(destination)) {
          throw new IOException("tree entry escapes the snapshot: " + treeWalk.getPathString());
        }
        writeEntry(reader, treeWalk.getFileMode(0), treeWalk.getObjectId(0), file);
      }
    }
  }

  private static ObjectId treeOf(
      ObjectReader reader, RevCommit commit, String folder,
      String location) throws IOException, GitSyncException {
    if (folder.isEmpty()) {
      return commit.getTree();
    }
    try (TreeWalk walk = TreeWalk.forPath(reader, folder, commit.getTree())) {
      if (walk == null || walk.getFileMode(0) != FileMode.TREE) {
        throw new GitSyncException(location, commit.name(),
            GitSyncException.Reason.MISSING_FOLDER, "folder '" + folder + "' is not in the commit");
      }
      return walk.getObjectId(0);
    }
  }

  private static void writeEntry(ObjectReader reader, FileMode mode, ObjectId id, Path file)
      throws IOException {
    Files.createDirectories(file.getParent());
    if (mode == FileMode.GITLINK) {
      Files.createDirectories(file);
      return;
    }
    if (mode == FileMode.SYMLINK) {
      String target = new String(reader.open(id, Constants.OBJ_BLOB).getCachedBytes(LINK_TARGET_MAX),
          StandardCharsets.UTF_8);
      Files.createSymbolicLink(file, file.getFileSystem().getPath(target));
      return;
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      reader.open(id, Constants.OBJ_BLOB).copyTo(out);
    }
    if (mode == FileMode.EXECUTABLE_FILE) {
      file.toFile().setExecutable(true, false);
    }
  }

  private static void deleteQuietly(Path folder) {
    if (folder == null || !Files.exists(folder)) {
      return;
    }
    try {
      FileUtils.delete(folder.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
    } catch (IOException e) {
      // A leftover .tmp-* folder is never mistaken for a snapshot; nothing else to do.
    }
  }
}
