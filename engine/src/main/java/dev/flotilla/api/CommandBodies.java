package dev.flotilla.api;

import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.view.CommandRequest;
import java.io.IOException;

/** Reads the JSON body of a rollout command. */
final class CommandBodies {
  private CommandBodies() {}

  static CommandRequest parse(String body) throws BadRequestException {
    if (body == null || body.isBlank()) return new CommandRequest(null, null, null, null);
    try {
      return Json.mapper().readValue(body, CommandRequest.class);
    } catch (IOException e) {
      throw new BadRequestException("the body must be JSON {\"actor\",\"comment\",\"wave\",\"at\"}: " + e.getMessage(), e);
    }
  }
}
