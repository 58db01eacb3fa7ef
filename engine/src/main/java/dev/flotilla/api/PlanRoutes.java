package dev.flotilla.api;

import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.RevisionPlanner;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.PlanFormat;
import dev.flotilla.render.RenderException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /api/v1/plan?from=REV&to=REV} (viewer): the plan of moving the fleet repo from one
 * revision to another, from the same {@link RevisionPlanner} as {@code flotilla plan} and the pull
 * request preview, as {@code plan --format json} prints it. A missing or unknown revision is a 400
 * naming the parameter; an invalid fleet or a failed render at either end is a 422 with its message.
 * A plan renders both revisions on the request's thread, so at most {@link #AT_ONCE} are made at a
 * time; a request beyond them is a 429 with {@code Retry-After}, and the engine's other work goes on.
 */
public final class PlanRoutes implements RouteTable {
  public static final String PATH = ApiRoutes.PREFIX + "/plan";

  /** Plans made at once; the render pool is shared with the engine's sync, so a few are plenty. */
  static final int AT_ONCE = 2;
  static final int RETRY_AFTER_SECONDS = 5;

  private final RevisionPlanner planner;
  private final Semaphore slots;

  public PlanRoutes(RevisionPlanner planner) {
    this(planner, new Semaphore(AT_ONCE));
  }

  PlanRoutes(RevisionPlanner planner, Semaphore slots) {
    this.planner = planner;
    this.slots = slots;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get(PATH, this::plan, Role.VIEWER);
  }

  private void plan(Context ctx) throws BadRequestException, GitSyncException {
    String from = revision(ctx, "from");
    String to = revision(ctx, "to");
    if (!slots.tryAcquire()) {
      ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)).status(429)
          .json(new ApiError("too-many-requests", AT_ONCE + " plans are being made already; try again in " + RETRY_AFTER_SECONDS + " s"));
      return;
    }
    Plan plan;
    try {
      plan = planner.plan(from, to);
    } catch (FleetValidationException | RenderException e) {
      ctx.status(422).json(new ApiError("unprocessable", "cannot plan " + from + " → " + to + ": " + e.getMessage()));
      return;
    } finally {
      slots.release();
    }
    ctx.status(200).contentType("application/json").result(PlanFormat.JSON.write(plan));
  }

  /** The commit the query parameter {@code name} names, resolved here so that an unknown one is named in the 400. */
  private String revision(Context ctx, String name) throws BadRequestException {
    String given = ctx.queryParam(name);
    if (given == null || given.isBlank()) throw new BadRequestException("query parameter " + name + " is required: a revision (SHA, branch or tag)");
    if (given.length() > 200) throw new BadRequestException("query parameter " + name + " is too long to be a revision");
    try {
      return planner.resolve(given);
    } catch (GitSyncException e) {
      throw new BadRequestException("query parameter " + name + ": unknown revision '" + given + "'", e);
    }
  }
}
