package dev.flotilla.scaffold;

import java.nio.file.Path;

/**
 * Why a scaffold step (locating templates, creating a fleet repo, adding a site or an app) could
 * not be done. The message names the path or field at fault and what was expected; nothing is
 * left half-written when it is thrown.
 */
public class ScaffoldException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  public ScaffoldException(Path path, String message) {
    super(path + ": " + message);
    this.path = path;
  }

  public ScaffoldException(Path path, String message, Throwable cause) {
    super(path + ": " + message, cause);
    this.path = path;
  }

  /** The file or folder the problem is about. */
  public Path path() {
    return path;
  }
}
