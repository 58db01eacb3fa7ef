package dev.flotilla.bundle;

/**
 * What a site has installed for one app: the sequence and the SHA-256 (hex) of the statement
 * payload it came with. {@code statementSha256} is null when only the sequence is known (the
 * offline {@code bundle verify --installed-sequence N}); then an equal sequence is simply stale.
 */
public record Installed(long sequence, String statementSha256) {
  /** Nothing installed yet: every sequence (they start at 1) is above it. */
  public static final Installed NONE = new Installed(0, null);

  public Installed {
    if (sequence < 0) throw new IllegalArgumentException("sequence must not be negative");
  }

  public static Installed sequenceOnly(long sequence) {
    return new Installed(sequence, null);
  }
}
