package dev.flotilla.api;

import dev.flotilla.engine.BadRequestException;
import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * What a token's holder may do through the API. Each role covers the ones before it: a viewer
 * reads, an operator also steers rollouts and syncs, an admin also manages tokens.
 */
public enum Role implements RouteRole {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** Whether this role may call a route that needs {@code needed}. */
  public boolean covers(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The word used on the command line, in the database and in the API: {@code viewer}, {@code operator}, {@code admin}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role of(String word) throws BadRequestException {
    for (Role r : values()) if (r.word().equals(word)) return r;
    throw new BadRequestException("role must be viewer, operator or admin, got '" + word + "'");
  }
}
