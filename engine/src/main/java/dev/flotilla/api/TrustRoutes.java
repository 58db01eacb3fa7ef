package dev.flotilla.api;

import dev.flotilla.bundle.TrustChain;
import dev.flotilla.delivery.pull.AcknowledgedTrust;
import dev.flotilla.delivery.pull.AgentReports;
import dev.flotilla.delivery.pull.ServedTrust;
import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.port.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * Trust updates for agents, and what the sites acknowledged, for people:
 *
 * <pre>
 * GET /api/v1/sites/{site}/trust            {"version"}: the newest trust version served, with its ETag (304 on If-None-Match); site token
 * GET /api/v1/sites/{site}/trust/{version}  that version's trust.json, exactly as the key folder holds it; site token
 * GET /api/v1/trust                         the version served and every site's acknowledged version; viewer
 * </pre>
 *
 * The documents are the same for every site; the site routes still take the site's own token (a
 * token of another site gets 403), like its bundles.
 */
public final class TrustRoutes implements RouteTable {
  private final ServedTrust served;
  private final AgentReports reports;
  private final SiteAuth auth;

  /** The answer of {@code GET /sites/{site}/trust}. */
  public record Head(int version) {}

  /** The answer of {@code GET /trust}: the version served (null: none), why the served chain stops, and every site. */
  public record Acknowledged(Integer served, String problem, List<AcknowledgedTrust> sites) {}

  public TrustRoutes(ServedTrust served, AgentReports reports, SiteAuth auth) {
    this.served = served;
    this.reports = reports;
    this.auth = auth;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get(BundleRoutes.SITE + "/trust", this::head);
    routes.get(BundleRoutes.SITE + "/trust/{version}", this::document);
    routes.get(ApiRoutes.PREFIX + "/trust", this::acknowledged, Role.VIEWER);
  }

  private void head(Context ctx) throws StoreException {
    SiteTokenCheck.authorize(ctx, auth);
    ctx.header("Cache-Control", "no-cache");
    Optional<TrustChain.Link> current = served.chain().current();
    if (current.isEmpty()) {
      ctx.status(404).json(new ApiError("not-found", "this engine serves no trust documents (serve --trust-dir)"));
      return;
    }
    answer(ctx, current.get().etag(), () -> ctx.json(new Head(current.get().version())));
  }

  private void document(Context ctx) throws StoreException, BadRequestException {
    SiteTokenCheck.authorize(ctx, auth);
    ctx.header("Cache-Control", "no-cache");
    int version;
    try {
      version = Integer.parseInt(ctx.pathParam("version"));
    } catch (NumberFormatException e) {
      throw new BadRequestException("a trust version is a whole number, got '" + ctx.pathParam("version") + "'");
    }
    Optional<TrustChain.Link> link = served.chain().version(version);
    if (link.isEmpty()) {
      ctx.status(404).json(new ApiError("not-found", "this engine serves no trust version " + version));
      return;
    }
    answer(ctx, link.get().etag(), () -> {
      ctx.header("Content-Length", Integer.toString(link.get().envelope().length));
      ctx.contentType("application/json");
      ctx.result(link.get().envelope());
    });
  }

  private static void answer(Context ctx, String etag, Runnable body) {
    ctx.header("ETag", etag);
    if (etag.equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    body.run();
  }

  private void acknowledged(Context ctx) throws StoreException {
    TrustChain chain = served.chain();
    ctx.json(new Acknowledged(chain.current().map(TrustChain.Link::version).orElse(null), chain.problem().orElse(null), reports.trust()));
  }
}
