package dev.flotilla.api;

import io.javalin.config.RoutesConfig;

/** Routes registered in one place, top to bottom, so the class reads like the API's menu. */
@FunctionalInterface
public interface RouteTable {
  void addTo(RoutesConfig routes);
}
