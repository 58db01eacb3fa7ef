package dev.flotilla.fleet;

/**
 * A fleet repo file cannot be read as asked: it leaves the repo through a link, is too large,
 * holds a scalar or an alias expansion past the limits, or is not YAML. Says where: the file
 * (relative to the repo root) and the 1-based line (0 for the whole file).
 */
public final class RepoFileException extends Exception {
  private final String file;
  private final int line;
  private final String reason;

  public RepoFileException(String file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** What is wrong, without the place. */
  public String reason() {
    return reason;
  }
}
