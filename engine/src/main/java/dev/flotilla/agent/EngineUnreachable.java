package dev.flotilla.agent;

import java.io.IOException;

/** The engine could not be reached or answered with a server error: normal at an edge site; the agent backs off and tries again. */
public class EngineUnreachable extends IOException {
  public EngineUnreachable(String message, Throwable cause) {
    super(message, cause);
  }
}
