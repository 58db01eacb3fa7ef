package dev.flotilla.api;

import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.FleetOperations;
import dev.flotilla.engine.view.CommandRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The engine's HTTP API, version 1: every route, in one list, read top to bottom like a menu, with
 * the role it needs (see {@link AccessGuard}). Without {@link FleetOperations} (a bare server) only
 * the health route is served; without {@link AccessTokens}, no token routes.
 */
public final class ApiRoutes implements RouteTable {
  public static final String PREFIX = "/api/v1";

  private final FleetOperations ops;
  private final AccessTokens tokens;

  public ApiRoutes() {
    this(null, null);
  }

  public ApiRoutes(FleetOperations ops) {
    this(ops, null);
  }

  public ApiRoutes(FleetOperations ops, AccessTokens tokens) {
    this.ops = ops;
    this.tokens = tokens;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get(PREFIX + "/health", ctx -> ctx.json(ops == null ? Map.of("status", "ok") : ops.health()), AccessGuard.ANYONE);
    if (ops != null) {
      routes.get(PREFIX + "/quarantine", ctx -> ctx.json(ops.quarantined()), Role.VIEWER);
      routes.get(PREFIX + "/rollouts", ctx -> ctx.json(ops.list(intParam(ctx, "offset", 0), intParam(ctx, "limit", FleetOperations.PAGE))),
          Role.VIEWER);
      routes.get(PREFIX + "/rollouts/{id}", ctx -> ctx.json(ops.get(ctx.pathParam("id"))), Role.VIEWER);
      routes.post(PREFIX + "/rollouts/{id}/{command}", ctx -> ctx.json(
          ops.command(ctx.pathParam("id"), ctx.pathParam("command"), commandRequest(ctx))), Role.OPERATOR);
      routes.get(PREFIX + "/sites", ctx -> ctx.json(ops.sites()), Role.VIEWER);
      routes.get(PREFIX + "/audit", ctx -> ctx.json(ops.audit(ctx.queryParam("rollout"),
          intParam(ctx, "limit", 200), intParam(ctx, "after", 0))), Role.VIEWER);
      routes.get(PREFIX + "/releases", ctx -> ctx.json(ops.releases(ctx.queryParam("app"))), Role.VIEWER);
      routes.get(PREFIX + "/sync", ctx -> ctx.json(ops.syncStatus(intParam(ctx, "limit", FleetOperations.SYNC_ATTEMPTS))), Role.VIEWER);
      routes.post(PREFIX + "/sync", ctx -> ctx.json(Map.of("revision", String.valueOf(ops.syncNow()))), Role.OPERATOR);
    }
    if (tokens != null) TokenRoutes.addTo(routes, tokens);
  }

  /**
   * The command's body, with the caller as its actor. A caller with a token acts under the token's
   * name: a body that names someone else is refused. On an open (token-less, loopback) engine the
   * body's actor is kept as a label, "local" when there is none.
   */
  private static CommandRequest commandRequest(Context ctx) throws BadRequestException {
    CommandRequest body = CommandBodies.parse(ctx.body());
    Caller caller = AccessGuard.caller(ctx);
    if (!caller.authenticated()) return body.actor() == null || body.actor().isBlank() ? body.withActor(caller.name()) : body;
    if (body.actor() != null && !body.actor().equals(caller.name())) {
      throw new BadRequestException("field 'actor' must be left out or be the token's name (" + caller.name()
          + "): the actor recorded is the token's, got '" + body.actor() + "'");
    }
    return body.withActor(caller.name());
  }

  private static int intParam(Context ctx, String name, int fallback) throws BadRequestException {
    String value = ctx.queryParam(name);
    if (value == null) return fallback;
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new BadRequestException("query parameter " + name + " must be a whole number, got '" + value + "'");
    }
  }
}
