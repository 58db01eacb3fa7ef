package dev.flotilla.engine;

/** The request itself is malformed or invalid (bad JSON, a missing field, an unknown command). */
public final class BadRequestException extends EngineException {
  public BadRequestException(String reason) {
    super(reason);
  }

  public BadRequestException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
