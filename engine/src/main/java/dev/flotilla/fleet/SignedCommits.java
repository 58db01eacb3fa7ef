package dev.flotilla.fleet;

import java.util.List;
import java.util.Objects;

/**
 * A list of keys whose signatures make a revision trusted: {@code fleet.yaml}'s {@code
 * requireSignedCommits} ({@link Origin#FLEET_REPO}), or the list an operator pins on the engine
 * with {@code serve --allowed-signers} ({@link Origin#ENGINE_PIN}). A revision is rolled out only
 * when its commit carries a valid signature by one of {@link #allowedSigners}. Which list judges a
 * new revision is the sync's decision (the last accepted revision's, never the new revision's own;
 * the pinned one when there is none), not the model's.
 */
public record SignedCommits(List<AllowedSigner> allowedSigners, Origin origin) {
  /** Where a list comes from; messages name it so a person knows which list to change. */
  public enum Origin {
    FLEET_REPO("requireSignedCommits"),
    ENGINE_PIN("the engine's pinned --allowed-signers");

    private final String description;

    Origin(String description) {
      this.description = description;
    }

    /** How a refusal names the list: {@code requireSignedCommits}, {@code the engine's pinned --allowed-signers}. */
    public String description() {
      return description;
    }
  }

  public SignedCommits {
    allowedSigners = List.copyOf(allowedSigners);
    Objects.requireNonNull(origin, "origin");
  }

  /** The fleet repo's own list ({@code requireSignedCommits}). */
  public SignedCommits(List<AllowedSigner> allowedSigners) {
    this(allowedSigners, Origin.FLEET_REPO);
  }
}
