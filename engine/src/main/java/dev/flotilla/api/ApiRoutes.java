package dev.flotilla.api;

import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.FleetOperations;
import dev.flotilla.engine.view.CommandRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The engine's HTTP API, version 1: every route, in one list, read top to bottom like a menu.
 * Without {@link FleetOperations} (a bare server) only the health route is served.
 */
public final class ApiRoutes implements RouteTable {
  public static final String PREFIX = "/api/v1";

  private final FleetOperations ops;

  public ApiRoutes() {
    this(null);
  }

  public ApiRoutes(FleetOperations ops) {
    this.ops = ops;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get(PREFIX + "/health", ctx -> ctx.json(Map.of("status", "ok")));
    if (ops == null) return;
    routes.get(PREFIX + "/rollouts", ctx -> ctx.json(ops.list(intParam(ctx, "offset", 0), intParam(ctx, "limit", FleetOperations.PAGE))));
    routes.get(PREFIX + "/rollouts/{id}", ctx -> ctx.json(ops.get(ctx.pathParam("id"))));
    routes.post(PREFIX + "/rollouts/{id}/{command}", ctx -> ctx.json(
        ops.command(ctx.pathParam("id"), ctx.pathParam("command"), commandRequest(ctx))));
    routes.get(PREFIX + "/sites", ctx -> ctx.json(ops.sites()));
    routes.get(PREFIX + "/audit", ctx -> ctx.json(ops.audit(ctx.queryParam("rollout"),
        intParam(ctx, "limit", 200), intParam(ctx, "after", 0))));
    routes.get(PREFIX + "/sync", ctx -> ctx.json(ops.syncStatus()));
    routes.post(PREFIX + "/sync", ctx -> ctx.json(Map.of("revision", String.valueOf(ops.syncNow()))));
  }

  private static CommandRequest commandRequest(Context ctx) throws BadRequestException {
    if (ctx.body().isBlank()) return CommandRequest.by("anonymous");
    try {
      return Json.mapper().readValue(ctx.body(), CommandRequest.class);
    } catch (java.io.IOException e) {
      throw new BadRequestException("the body must be JSON {\"actor\",\"comment\",\"wave\",\"at\"}: " + e.getMessage(), e);
    }
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
