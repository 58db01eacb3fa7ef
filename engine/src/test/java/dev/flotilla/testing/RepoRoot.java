package dev.flotilla.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's root folder, found from the working directory: the one holding fleet-repo-example/. */
public final class RepoRoot {
  private RepoRoot() {}

  public static Path find() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("fleet-repo-example"))) return p;
    }
    throw new IllegalStateException("no folder holding fleet-repo-example/ at or above " + dir);
  }

  public static Path templates() {
    return find().resolve("templates");
  }
}
