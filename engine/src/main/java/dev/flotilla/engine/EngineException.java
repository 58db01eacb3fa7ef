package dev.flotilla.engine;

/**
 * A request the engine refuses, with the reason written for the person who asked: the rollout does
 * not exist, the command does not fit its state, or the request itself is invalid. Failures of
 * the engine's own parts (the store, Git) are their ports' exceptions, not these.
 */
public abstract sealed class EngineException extends Exception
    permits NotFoundException, ConflictException, BadRequestException {
  protected EngineException(String reason) {
    super(reason);
  }

  protected EngineException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
