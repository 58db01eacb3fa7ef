package dev.flotilla.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.port.AccessToken;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The admin routes of the API's tokens, the same operations as {@code flotilla tokens}. */
final class TokenRoutes {
  private TokenRoutes() {}

  /** A token as listed: never its hash. */
  record TokenView(String name, String role, Instant createdAt) {
    static TokenView of(AccessToken t) {
      return new TokenView(t.name(), t.role(), t.createdAt());
    }
  }

  static void addTo(RoutesConfig routes, AccessTokens tokens) {
    routes.get(ApiRoutes.PREFIX + "/tokens", ctx -> ctx.json(tokens.list().stream().map(TokenView::of).toList()), Role.ADMIN);
    routes.post(ApiRoutes.PREFIX + "/tokens", ctx -> create(ctx, tokens), Role.ADMIN);
    routes.delete(ApiRoutes.PREFIX + "/tokens/{name}", ctx -> {
      tokens.revoke(ctx.pathParam("name"), AccessGuard.caller(ctx).name());
      ctx.json(Map.of("revoked", ctx.pathParam("name")));
    }, Role.ADMIN);
  }

  private static void create(Context ctx, AccessTokens tokens) throws Exception {
    JsonNode body;
    try {
      body = Json.mapper().readTree(ctx.body());
    } catch (IOException e) {
      throw new BadRequestException("the body must be JSON {\"name\",\"role\"}");
    }
    if (body == null || !body.isObject()) throw new BadRequestException("the body must be a JSON object {\"name\",\"role\"}");
    for (String field : (Iterable<String>) body::fieldNames) {
      if (!Set.of("name", "role").contains(field)) throw new BadRequestException("unknown field '" + field + "': expected name and role");
    }
    for (String field : List.of("name", "role")) {
      if (!body.path(field).isTextual()) throw new BadRequestException("field '" + field + "' must be a string");
    }
    AccessTokens.Created created = tokens.create(body.get("name").asText(), Role.of(body.get("role").asText()),
        AccessGuard.caller(ctx).name());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", created.token().name());
    out.put("role", created.token().role());
    out.put("token", created.secret());
    ctx.status(201).json(out);
  }
}
