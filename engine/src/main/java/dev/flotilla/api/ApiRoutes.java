package dev.flotilla.api;

import io.javalin.config.RoutesConfig;
import java.util.Map;

/** The engine's HTTP API, version 1: every route, in one list. */
public final class ApiRoutes implements RouteTable {
  public static final String PREFIX = "/api/v1";

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get(PREFIX + "/health", ctx -> ctx.json(Map.of("status", "ok")));
  }
}
