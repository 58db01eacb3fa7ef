package dev.flotilla.delivery.push;

import dev.flotilla.delivery.push.BlueGreenPlan.Hold;
import dev.flotilla.delivery.push.BlueGreenPlan.Placement;
import dev.flotilla.delivery.push.BlueGreenPlan.ScaleDown;
import dev.flotilla.delivery.push.BlueGreenPlan.ScaleDownInPlace;
import dev.flotilla.delivery.push.BlueGreenPlan.Step;
import dev.flotilla.delivery.push.BlueGreenPlan.Switch;
import dev.flotilla.delivery.push.BlueGreenState.Color;
import dev.flotilla.drift.FieldDrift;
import dev.flotilla.fleet.BlueGreen;
import dev.flotilla.health.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link BlueGreenPlan}'s decisions at one site through a {@link KubernetesApplier}:
 * applies a release as a copy beside the running one, switches the Services when a health reading
 * finds the copy healthy, deletes the old copy when its delay is over. Everything it needs between
 * two calls is in the app's inventory ConfigMap on the cluster ({@link BlueGreenState}), so an
 * engine that restarts (or another replica) goes on where it stopped.
 */
final class BlueGreenApplier {
  private static final Logger LOG = LoggerFactory.getLogger(BlueGreenApplier.class);

  private final String site;
  private final KubernetesApplier applier;

  BlueGreenApplier(String site, KubernetesApplier applier) {
    this.site = site;
    this.applier = applier;
  }

  /**
   * Applies {@code revision} of {@code app} blue/green: its Deployments as a copy in the color the
   * plan places it, its Services still selecting the active copy (or at once, for a first apply and
   * for a rollback to the old copy), everything else in place; the other color's copy is kept while
   * the state says it runs.
   */
  ApplyResult apply(String app, String revision, List<Map<String, Object>> objects, ApplySettings settings, BlueGreen strategy,
      Instant now) throws ApplyException {
    BlueGreenState current = applier.inventory(app).blueGreen();
    List<Map<String, Object>> services = BlueGreenPlan.switchedServices(objects).stream()
        .map(s -> ApplyBody.of(s, settings.ignoredFields())).toList();
    BlueGreenState.InPlaceCopy found = current == null ? applier.inPlaceCopy(objects) : null;
    Placement p = BlueGreenPlan.place(current, found, revision, now, strategy, settings.forceConflicts(), services);
    ApplyResult result = applier.apply(app, BlueGreenPlan.colored(objects, p.workloads(), p.services()), settings,
        kept(p), p.next());
    LOG.info("site {}: app {} revision {} applied as the {} copy; Services on {}", site, app, revision, label(p.workloads()),
        label(p.services()));
    List<String> inPlace = objects.stream().map(ObjectRef::of)
        .filter(r -> r.kind().equals("StatefulSet") || r.kind().equals("DaemonSet")).map(ObjectRef::id).toList();
    if (!inPlace.isEmpty()) {
      LOG.info("site {}: app {} is blue/green but {} cannot run as two copies: applied in place", site, app, inPlace);
    }
    return result;
  }

  /** The objects of the last apply that an apply of {@code p} keeps: the other copies the state still runs. */
  static java.util.function.Predicate<ObjectRef> kept(Placement p) {
    if (p.next() == null) return r -> false;
    Set<Color> keptCopies = p.next().colors();
    if (p.workloads() != null) keptCopies.remove(p.workloads());
    BlueGreenState.InPlaceCopy inPlace = p.workloads() == null ? null : p.next().inPlace();
    return r -> keptCopies.stream().anyMatch(c -> BlueGreenPlan.isCopy(r, c)) || (inPlace != null && inPlace.contains(r));
  }

  private static String label(Color c) {
    return c == null ? "in place" : c.label();
  }

  /**
   * The site's verdict for {@code app}, after carrying out what is due: a new copy found healthy is
   * switched to, an old copy past its delay is deleted. While a new copy is not healthy the verdict is
   * progressing (failed when it failed: the Services are then never switched). An app applied in
   * place reads as {@link KubernetesApplier#health(String)} would, with the same requests.
   */
  Verdict progress(String app, Instant now) throws ApplyException {
    Inventory inv = applier.inventory(app);
    BlueGreenState s = inv.blueGreen();
    if (s == null) return applier.health(inv.objects());
    Verdict preview = s.preview().isPresent()
        ? applier.health(copies(inv, s.preview().get()))
        : null;
    Step step = BlueGreenPlan.step(s, preview, now);
    if (step instanceof Switch sw) return switchTo(app, inv, s, sw);
    if (step instanceof ScaleDown sd) return scaleDown(app, inv, copies(inv, sd.copy()), sd.copy().label(), sd.next());
    if (step instanceof ScaleDownInPlace sd) return scaleDown(app, inv, sd.deployments(), "in-place", sd.next());
    Hold hold = (Hold) step;
    return hold.preview() != null ? hold.preview() : applier.health(active(inv, s));
  }

  private Verdict switchTo(String app, Inventory inv, BlueGreenState s, Switch sw) throws ApplyException {
    List<Map<String, Object>> switched = s.services().stream().map(svc -> BlueGreenPlan.withSelectorColor(svc, sw.to())).toList();
    applier.applyBodies(switched, s.force());
    applier.writeInventory(app, inv.withBlueGreen(sw.next()));
    LOG.info("site {}: app {} switched {} Service(s) to the {} copy of {}; the copy switched away from goes at {}", site, app,
        switched.size(), sw.to().label(), sw.next().slot(sw.to()).revision(), s.inPlaceActive()
            ? sw.next().inPlace().scaleDownAt() : sw.next().slot(s.active()).scaleDownAt());
    return applier.health(active(inv, sw.next()));
  }

  private Verdict scaleDown(String app, Inventory inv, List<ObjectRef> copies, String copy, BlueGreenState next)
      throws ApplyException {
    List<ObjectRef> gone = new ArrayList<>();
    try {
      for (ObjectRef r : copies) {
        applier.prune(r);
        gone.add(r);
      }
    } catch (ApplyException e) {
      // What was deleted leaves the inventory; the state keeps the copy, so the next reading retries.
      applier.writeInventory(app, inv.minus(gone));
      throw e;
    }
    applier.writeInventory(app, inv.minus(gone).withBlueGreen(next));
    LOG.info("site {}: app {} deleted the old {} copy ({} Deployment(s))", site, app, copy, gone.size());
    return next == null ? applier.health(inv.minus(gone).objects()) : applier.health(active(inv.minus(gone), next));
  }

  /**
   * The drift of {@code revision}'s objects as they are applied under blue/green: the Deployments of
   * the copy that runs the revision (the active one if none does), the Services on the active color.
   * So neither the colored names nor a switched selector read as drift.
   */
  Map<ObjectRef, List<FieldDrift>> drift(String app, String revision, List<Map<String, Object>> objects, ApplySettings settings)
      throws ApplyException {
    BlueGreenState s = applier.inventory(app).blueGreen();
    if (s == null) return applier.drift(objects, settings);
    Color workloads = s.colorOf(revision).orElse(s.active());
    return applier.drift(BlueGreenPlan.colored(objects, workloads, s.active()), settings);
  }

  private static List<ObjectRef> copies(Inventory inv, Color color) {
    return inv.objects().stream().filter(r -> BlueGreenPlan.isCopy(r, color)).toList();
  }

  /** The objects that make the site's verdict: all but the Deployments of a copy that is not active. */
  private static List<ObjectRef> active(Inventory inv, BlueGreenState s) {
    return inv.objects().stream().filter(r -> BlueGreenPlan.serves(r, s)).toList();
  }
}
