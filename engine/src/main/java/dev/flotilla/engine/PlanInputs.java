package dev.flotilla.engine;

import dev.flotilla.plan.DesiredObjects;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import dev.flotilla.render.RenderResult;
import java.util.Map;

/** Turns rendered desired states into the planner's input. */
public final class PlanInputs {
  private PlanInputs() {}

  public static DesiredObjects from(RenderResult result, String revision) {
    DesiredObjects objects = new DesiredObjects(revision);
    for (Map.Entry<String, Map<String, DesiredState>> app : result.states().entrySet()) {
      for (DesiredState state : app.getValue().values()) {
        objects.putSite(state.app(), state.site());
        for (Manifest m : state.manifests()) {
          objects.put(state.app(), state.site(), m.id(), m.yaml());
        }
      }
    }
    return objects;
  }
}
