package dev.flotilla.api;

import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.ConflictException;
import dev.flotilla.engine.EngineException;
import dev.flotilla.engine.NotFoundException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception mapper: every error leaves the server as {@link ApiError} JSON with its
 * status. The engine's refusals ({@link EngineException}) say their own reason, with the status
 * and error word {@link #statusOf} gives them; anything unexpected becomes a 500 with a generic
 * reason (the details, which may be internal, go to the log, not to the client).
 */
final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  static void register(RoutesConfig routes) {
    routes.exception(EngineException.class, (e, ctx) -> {
      int status = statusOf(e);
      respond(ctx, status, errorOf(e), e.getMessage());
    });
    // Javalin's own (an unknown route, a wrong method) keep their status and get the same shape.
    routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), word(e.getStatus()), e.getMessage()));
    routes.exception(Exception.class, (e, ctx) -> {
      log.error("http {} {}: unhandled {}", ctx.method(), ctx.path(), e.getClass().getName(), e);
      respond(ctx, 500, "internal", "internal server error; the server log has the details");
    });
  }

  /** The HTTP status of an engine refusal. */
  static int statusOf(EngineException e) {
    if (e instanceof NotFoundException) return 404;
    if (e instanceof ConflictException) return 409;
    if (e instanceof BadRequestException) return 400;
    throw new IllegalArgumentException("no status for " + e.getClass().getName());
  }

  /** The short, stable error word of the JSON body. */
  static String errorOf(EngineException e) {
    if (e instanceof NotFoundException) return "not-found";
    if (e instanceof ConflictException) return "conflict";
    if (e instanceof BadRequestException) return "bad-request";
    throw new IllegalArgumentException("no error word for " + e.getClass().getName());
  }

  private static void respond(Context ctx, int status, String error, String reason) {
    ctx.status(status).json(new ApiError(error, reason == null ? "" : reason));
  }

  /** The error word of an HTTP status without an engine meaning: {@code 414} is {@code uri-too-long}. */
  static String word(int status) {
    HttpStatus known = HttpStatus.forStatus(status);
    return known == HttpStatus.UNKNOWN ? "http-" + status : known.getMessage().toLowerCase(Locale.ROOT).replace(' ', '-');
  }
}
