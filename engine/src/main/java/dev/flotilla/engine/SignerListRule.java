package dev.flotilla.engine;

/**
 * Which allowed-signers list judges a new revision's commit signature: the decision alone, with no
 * Git and no I/O ({@link FleetSync} reads the lists and the Git adapter checks the signature).
 *
 * <p>The last accepted revision's list always governs when it has one, so a revision can never let
 * itself in by adding its signer. When there is no such list (this engine accepted nothing yet, the
 * last accepted revision requires no signatures, or it no longer validates), the operator's pinned
 * list ({@code serve --allowed-signers}) judges; without a pin, a first sync takes the revision's
 * own list (trust on first use) and a revision after one without a list needs no signature.
 *
 * <p>The pinned list is deliberately not also accepted once a revision's own list governs: at any
 * moment exactly one list is trusted, a key dropped from the fleet repo's list is really gone, and a
 * stolen break-glass key is only good where the pin judges. A break-glass key that must always work
 * belongs in the fleet repo's list too, where adding and removing it is reviewed like any change.
 */
final class SignerListRule {
  private SignerListRule() {}

  /** What the engine knows of the revision it accepted last. */
  enum LastAccepted {
    /** Nothing accepted yet by this engine: a new engine, or a database begun again. */
    NOTHING,
    /** It no longer validates (a window whose cron stopped firing), so its list cannot be read. */
    UNREADABLE,
    /** It has no {@code requireSignedCommits}. */
    WITHOUT_LIST,
    /** It has {@code requireSignedCommits}. */
    WITH_LIST
  }

  /** The list that judges the new revision. */
  enum Governing {
    /** The last accepted revision's {@code requireSignedCommits}. */
    LAST_ACCEPTED,
    /** The engine's pinned {@code --allowed-signers}. */
    PINNED,
    /** The new revision's own {@code requireSignedCommits}, if any (trust on first use: only without a pin). */
    OWN,
    /** None: the revision needs no signature (only without a pin). */
    NONE
  }

  static Governing governing(boolean pinned, LastAccepted last) {
    return switch (last) {
      case WITH_LIST -> Governing.LAST_ACCEPTED;
      case WITHOUT_LIST -> pinned ? Governing.PINNED : Governing.NONE;
      case NOTHING, UNREADABLE -> pinned ? Governing.PINNED : Governing.OWN;
    };
  }
}
