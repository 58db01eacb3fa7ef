package dev.flotilla.fleet;

import java.util.List;

/**
 * {@code requireSignedCommits}: a revision is rolled out only when its commit carries a valid
 * signature by one of {@link #allowedSigners}. Which revision's list governs a new revision is the
 * sync's decision (the last accepted one's, never the new revision's own), not the model's.
 */
public record SignedCommits(List<AllowedSigner> allowedSigners) {
  public SignedCommits {
    allowedSigners = List.copyOf(allowedSigners);
  }
}
