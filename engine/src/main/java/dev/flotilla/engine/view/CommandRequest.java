package dev.flotilla.engine.view;

import java.time.Instant;

/**
 * The body of a rollout command ({@code POST /api/v1/rollouts/{id}/{command}}): who asks, why,
 * and for {@code approve} the wave, for {@code promote} an optional time to do it at.
 */
public record CommandRequest(String actor, String comment, String wave, Instant at) {
  public static CommandRequest by(String actor) {
    return new CommandRequest(actor, null, null, null);
  }

  public CommandRequest withActor(String newActor) {
    return new CommandRequest(newActor, comment, wave, at);
  }
}
