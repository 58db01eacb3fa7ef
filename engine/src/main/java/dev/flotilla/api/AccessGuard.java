package dev.flotilla.api;

import dev.flotilla.engine.port.StoreException;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.UnsupportedMediaTypeResponse;
import io.javalin.security.RouteRole;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Who may call the API, checked before any handler runs, so a refused request changes nothing.
 *
 * <ol>
 *   <li>Every request: its {@code Host} header must name this engine (the listen address, a
 *       loopback name, or a name given with {@code serve --allowed-host}), else 421. A web page
 *       that reaches a loopback engine through DNS rebinding sends its own site's name, and is
 *       refused. No CORS headers are ever sent, so browsers keep other origins from reading answers.
 *   <li>Every matched route but the edge agents' (see {@link #AGENT_PATHS}) and the Git providers'
 *       webhooks (see {@link #WEBHOOK_PATHS}): a command ({@code
 *       POST}) must be {@code Content-Type: application/json} (415), which a form or a {@code
 *       text/plain} fetch cannot send without a CORS preflight; then the caller's bearer token
 *       must be valid (401) and its role cover the route's (403). A route without a {@link Role}
 *       needs {@link Role#ADMIN}; one with {@link #ANYONE} (health) needs nothing.
 * </ol>
 *
 * <p>A loopback engine without any token at all is open (everyone is {@link Caller#LOCAL}), so the
 * laptop default and the demo work as before; {@code serve} warns, and refuses a non-loopback
 * address until a token exists. Once any token exists, every call needs one. Tokens are never
 * logged or echoed.
 */
public final class AccessGuard {
  /** The role of routes anyone may call. */
  public static final RouteRole ANYONE = new RouteRole() {
    @Override
    public String toString() {
      return "anyone";
    }
  };

  /**
   * The routes of the edge agents ({@code /api/v1/sites/{site}/bundles...}, {@code
   * /api/v1/sites/{site}/trust...} and {@code /api/v1/sites/{site}/reports}): agents authenticate with per-site tokens, checked by the agent
   * routes' own table, not by people's tokens. Exactly these shapes are skipped here; {@code GET
   * /api/v1/sites} and every other route stay guarded.
   */
  static final Pattern AGENT_PATHS = Pattern.compile("^" + Pattern.quote(ApiRoutes.PREFIX) + "/sites/[^/]+/(bundles(/.*)?|trust(/[^/]+)?|reports)$");

  /**
   * The Git providers' webhook routes ({@code /api/v1/webhooks/{provider}}): a provider cannot hold
   * a bearer token; each delivery is authenticated by its signature (an HMAC of the body with the
   * webhook secret), checked by the webhook routes themselves before anything is recorded.
   */
  static final Pattern WEBHOOK_PATHS = Pattern.compile("^" + Pattern.quote(ApiRoutes.PREFIX) + "/webhooks/[^/]+$");

  private static final String CALLER = "flotilla.caller";
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1");

  private final AccessTokens tokens;
  private final Set<String> hosts;
  private final boolean openWithoutTokens;

  private AccessGuard(AccessTokens tokens, Set<String> hosts, boolean openWithoutTokens) {
    this.tokens = tokens;
    this.hosts = hosts;
    this.openWithoutTokens = openWithoutTokens;
  }

  /**
   * The guard of an engine listening on {@code listenHost}: requests must name it, a loopback
   * name, or one of {@code allowedHosts}; without any token, only a loopback engine is open.
   */
  public static AccessGuard of(AccessTokens tokens, String listenHost, Collection<String> allowedHosts) {
    Set<String> hosts = new TreeSet<>(LOOPBACK_NAMES);
    hosts.add(bare(listenHost));
    allowedHosts.forEach(h -> hosts.add(bare(h)));
    return new AccessGuard(tokens, Set.copyOf(hosts), isLoopback(listenHost));
  }

  /** Whether {@code host} (a name or address to listen on) is a loopback address only. */
  public static boolean isLoopback(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The caller the guard let in; {@link Caller#LOCAL} on a server without a guard. */
  public static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    return caller != null ? caller : Caller.LOCAL;
  }

  /** Every request: its Host header must name this engine. */
  void checkHost(Context ctx) {
    String host = ctx.header("Host");
    String name = host == null ? "" : hostPart(host);
    if (!hosts.contains(name)) {
      throw new HttpResponseException(421, "the Host header must name this engine (" + String.join(", ", hosts)
          + "); start serve with --allowed-host NAME to accept another name", Map.of());
    }
  }

  /** Every matched route: content type, token and role. */
  void checkAccess(Context ctx) throws StoreException {
    if (AGENT_PATHS.matcher(ctx.path()).matches() || WEBHOOK_PATHS.matcher(ctx.path()).matches()) return;
    if (isCommand(ctx) && !isJson(ctx.contentType())) {
      throw new UnsupportedMediaTypeResponse("commands take Content-Type: application/json");
    }
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.contains(ANYONE)) return;
    Role needed = roles.stream().filter(Role.class::isInstance).map(Role.class::cast).min(Role::compareTo).orElse(Role.ADMIN);
    Caller caller = authenticate(ctx);
    if (!caller.role().covers(needed)) {
      throw new ForbiddenResponse("token " + caller.name() + " has role " + caller.role().word() + "; this needs " + needed.word());
    }
    ctx.attribute(CALLER, caller);
  }

  private Caller authenticate(Context ctx) throws StoreException {
    String header = ctx.header("Authorization");
    if (header == null && openWithoutTokens && !tokens.required()) return Caller.LOCAL;
    if (header == null) throw unauthorized(ctx, "this needs a token: send Authorization: Bearer <token> (flotilla tokens create)");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) throw unauthorized(ctx, "only Authorization: Bearer <token> is accepted");
    Optional<Caller> caller = tokens.verify(header.substring(7).trim());
    if (caller.isEmpty()) throw unauthorized(ctx, "the token is not valid (unknown or revoked)");
    return caller.get();
  }

  private static UnauthorizedResponse unauthorized(Context ctx, String reason) {
    ctx.header("WWW-Authenticate", "Bearer");
    return new UnauthorizedResponse(reason);
  }

  private static boolean isCommand(Context ctx) {
    String method = ctx.method().name();
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) return false;
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json");
  }

  /** The host of a Host header, without port and brackets, in lower case. */
  static String hostPart(String header) {
    String h = header.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static String bare(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }
}
