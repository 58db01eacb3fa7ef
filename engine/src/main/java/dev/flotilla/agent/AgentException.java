package dev.flotilla.agent;

/** The agent cannot go on as configured: a missing or corrupt state file, a token the engine refuses, a broken trust store. */
public final class AgentException extends Exception {
  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
