package dev.flotilla.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's HTTP server (Javalin on Jetty): JSON through the given Jackson mapper, the routes of
 * a {@link RouteTable}, and every error through {@link ApiErrors}. Port 0 picks a free port;
 * {@link #port()} tells which.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** The largest request body read, in bytes. */
  static final long MAX_BODY = 64 * 1024;

  private final Javalin javalin;
  private final String host;

  private HttpServer(Javalin javalin, String host) {
    this.javalin = javalin;
    this.host = host;
  }

  /** Starts serving on {@code host:port} without access control (tests of the server itself) and returns once the port is bound. */
  public static HttpServer start(String host, int port, RouteTable routes, ObjectMapper json) {
    return start(host, port, routes, json, null);
  }

  /**
   * Starts serving on {@code host:port}, every request checked by {@code guard} (see {@link
   * AccessGuard}) before a handler runs, and returns once the port is bound.
   */
  public static HttpServer start(String host, int port, RouteTable routes, ObjectMapper json, AccessGuard guard) {
    Javalin javalin = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jsonMapper(new JavalinJackson(json, false));
      // A known path with the wrong method is a 405 (in the JSON shape), not a 404.
      config.http.prefer405over404 = true;
      // Bodies are commands of a few fields (a comment is at most 4 KiB): anything much larger is a 413.
      config.http.maxRequestSize = MAX_BODY;
      ApiErrors.register(config.routes);
      // Errors Jetty answers itself (a bad request line, a URI or headers too large) in the same JSON shape.
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(json)));
      config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler(json)));
      if (guard != null) {
        config.routes.before(guard::checkHost);
        config.routes.beforeMatched(guard::checkAccess);
      }
      routes.addTo(config.routes);
    });
    javalin.start(host, port);
    HttpServer server = new HttpServer(javalin, host);
    log.info("http: serving on {}", server.uri());
    return server;
  }

  /** The bound port (the one chosen when started with port 0). */
  public int port() {
    return javalin.port();
  }

  public URI uri() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + port());
  }

  @Override
  public void close() {
    javalin.stop();
  }
}
