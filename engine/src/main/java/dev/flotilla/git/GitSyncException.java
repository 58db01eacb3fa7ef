package dev.flotilla.git;

/**
 * Reading the fleet repo failed: the one checked exception of the Git port.
 *
 * <p>The message names the repository (a URL without credentials, or a local path), the ref, and
 * what went wrong. It never contains a token.
 */
public final class GitSyncException extends Exception {
  /** What went wrong, for callers that react differently (retry an unreachable remote, say). */
  public enum Reason {
    UNREACHABLE("remote unreachable"),
    AUTHENTICATION("authentication failed"),
    HOST_KEY("SSH host key not trusted"),
    MISSING_BRANCH("no such branch on the remote"),
    UNKNOWN_REVISION("unknown revision"),
    MISSING_FOLDER("no such folder at this revision"),
    NOT_A_REPOSITORY("not a Git repository"),
    IO("I/O error");

    private final String phrase;

    Reason(String phrase) {
      this.phrase = phrase;
    }

    public String phrase() {
      return phrase;
    }
  }

  private final String repository;
  private final String ref;
  private final Reason reason;

  public GitSyncException(String repository, String ref, Reason reason, String detail) {
    this(repository, ref, reason, detail, null);
  }

  public GitSyncException(
      String repository, String ref, Reason reason, String detail, Throwable cause) {
    super(message(repository, ref, reason, detail), cause);
    this.repository = repository;
    this.ref = ref;
    this.reason = reason;
  }

  private static String message(String repository, String ref, Reason reason, String detail) {
    StringBuilder text = new StringBuilder("git ").append(repository);
    if (ref != null) {
      text.append(" ref '").append(ref).append('\'');
    }
    text.append(": ").append(reason.phrase());
    if (detail != null && !detail.isBlank()) {
      text.append(": ").append(detail);
    }
    return text.toString();
  }

  /** The repository, as a URL without credentials or a local path. */
  public String repository() {
    return repository;
  }

  /** The branch, tag or revision asked for; null when none was. */
  public String ref() {
    return ref;
  }

  public Reason reason() {
    return reason;
  }
}
