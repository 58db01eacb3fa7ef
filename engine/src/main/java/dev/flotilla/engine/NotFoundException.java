package dev.flotilla.engine;

/** The request names something that does not exist (a rollout, an app, a site). */
public final class NotFoundException extends EngineException {
  public NotFoundException(String reason) {
    super(reason);
  }
}
