package dev.flotilla.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception mapper: every error leaves the server as {@link ApiError} JSON with its
 * status. Domain errors say their own reason; anything unexpected becomes a 500 with a generic
 * reason (the details, which may be internal, go to the log, not to the client).
 */
final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  static void register(RoutesConfig routes) {
    routes.exception(ApiException.class, (e, ctx) -> respond(ctx, e.status(), e.error(), e.getMessage()));
    // Javalin's own (an unknown route, a wrong method) keep their status and get the same shape.
    routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), word(e.getStatus()), e.getMessage()));
    routes.exception(Exception.class, (e, ctx) -> {
      log.error("http {} {}: unhandled {}", ctx.method(), ctx.path(), e.getClass().getName(), e);
      respond(ctx, 500, "internal", "internal server error; the server log has the details");
    });
  }

  private static void respond(Context ctx, int status, String error, String reason) {
    ctx.status(status).json(new ApiError(error, reason == null ? "" : reason));
  }

  private static String word(int status) {
    HttpStatus known = HttpStatus.forStatus(status);
    return known == HttpStatus.UNKNOWN ? "http-" + status : known.getMessage().toLowerCase(Locale.ROOT).replace(' ', '-');
  }
}
