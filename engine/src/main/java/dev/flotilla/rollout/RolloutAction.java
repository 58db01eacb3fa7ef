package dev.flotilla.rollout;

import java.util.Objects;

/** Something the engine's adapters must carry out for a rollout; every action is idempotent to apply. */
public sealed interface RolloutAction permits RolloutAction.UpdateSite, RolloutAction.StartRollback {

  /** Deliver {@code revision} of {@code app} to {@code site} (push: apply; pull: publish its bundle). */
  record UpdateSite(String rolloutId, String site, String app, String revision, String wave) implements RolloutAction {
    public UpdateSite {
      Objects.requireNonNull(rolloutId, "rolloutId");
      Objects.requireNonNull(site, "site");
      Objects.requireNonNull(app, "app");
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(wave, "wave");
    }
  }

  /** Store and run {@code rollback}, a ROLLBACK rollout already RUNNING; its id is derived from the release's, so a repeat is a duplicate. */
  record StartRollback(Rollout rollback) implements RolloutAction {
    public StartRollback {
      Objects.requireNonNull(rollback, "rollback");
    }
  }
}
