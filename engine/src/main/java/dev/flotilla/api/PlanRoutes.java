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

/**
 * {@code GET /api/v1/plan?from=REV&to=REV} (viewer): the plan of moving the fleet repo from one
 * revision to another, from the same {@link RevisionPlanner} as {@code flotilla plan} and the pull
 * request preview, as {@code plan --format json} prints it. A missing or unknown revision is a 400
 * naming the parameter; an invalid fleet or a failed render at either end is a 422 with its message.
 */
public final class PlanRoutes implements RouteTable {
  public static final String PATH = ApiRoutes.PREFIX + "/plan";

  private final RevisionPlanner planner;

  public PlanRoutes(RevisionPlanner planner) {
    this.planner = planner;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get(PATH, this::plan, Role.VIEWER);
  }

  private void plan(Context ctx) throws BadRequestException, GitSyncException {
    String from = revision(ctx, "from");
    String to = revision(ctx, "to");
    Plan plan;
    try {
      plan = planner.plan(from, to);
    } catch (FleetValidationException | RenderException e) {
      ctx.status(422).json(new ApiError("unprocessable", "cannot plan " + from + " → " + to + ": " + e.getMessage()));
      return;
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
