package dev.flotilla.engine;

/** The command does not fit the current state (promote a halted rollout, approve a finished wave). */
public final class ConflictException extends EngineException {
  public ConflictException(String reason) {
    super(reason);
  }
}
