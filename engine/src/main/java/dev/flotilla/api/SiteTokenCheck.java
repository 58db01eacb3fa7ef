package dev.flotilla.api;

import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.engine.port.StoreException;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import java.util.Optional;

/** The check every agent route makes: the request's bearer token is a site's, and that site is the {@code {site}} of the path. */
final class SiteTokenCheck {
  private SiteTokenCheck() {}

  /** The site of the request's bearer token, which must be the site of the path: 401 without a known token, 403 for another site. */
  static String authorize(Context ctx, SiteAuth auth) throws StoreException {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"flotilla-sites\"");
      throw new UnauthorizedResponse("a site token is required (Authorization: Bearer flt_site_...)");
    }
    Optional<String> site = auth.siteOf(header.substring(7).trim());
    if (site.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"flotilla-sites\", error=\"invalid_token\"");
      throw new UnauthorizedResponse("unknown site token");
    }
    String asked = ctx.pathParam("site");
    if (!site.get().equals(asked)) throw new ForbiddenResponse("the token of site " + site.get() + " does not grant site " + asked);
    return asked;
  }
}
