package dev.flotilla.delivery.push;

import dev.flotilla.delivery.push.BlueGreenState.Color;
import dev.flotilla.delivery.push.BlueGreenState.InPlaceCopy;
import dev.flotilla.delivery.push.BlueGreenState.Slot;
import dev.flotilla.fleet.BlueGreen;
import dev.flotilla.health.HealthStatus;
import dev.flotilla.health.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of blue/green at one site, pure: where a release goes (which color its Deployments
 * are applied as, which color the Services select meanwhile), what a health reading of the new copy
 * leads to (switch the Services, wait, or hold a failed copy), when the old copy goes, and how the
 * rendered objects look under a color. {@link BlueGreenApplier} carries the decisions out.
 *
 * <p>Only Deployments are copied: a StatefulSet's identity and volumes, a DaemonSet's one pod per
 * node and everything else are applied in place. A Service is switched when its selector matches the
 * pod labels of a Deployment of the same render.
 */
final class BlueGreenPlan {
  static final String COLOR_LABEL = "flotilla.dev/color";

  private BlueGreenPlan() {}

  /**
   * Where one release goes: its Deployments are applied as {@code workloads}' copy while the Services
   * select {@code services}; {@code next} is the state to record with the apply. A null color is the
   * in-place copy: Deployments, or Services, as rendered. A null {@code next} records no state (the
   * app runs in place).
   */
  record Placement(Color workloads, Color services, BlueGreenState next) {}

  /** What a health reading leads to; a null {@code next} drops the state (only the in-place copy is left). */
  sealed interface Step permits Switch, ScaleDown, ScaleDownInPlace, Hold {
    BlueGreenState next();
  }

  /** The in-place copy's delay is over: delete its Deployments. */
  record ScaleDownInPlace(List<ObjectRef> deployments, BlueGreenState next) implements Step {}

  /** The new copy is healthy: switch the Services to {@code to}; the old copy is deleted at its time. */
  record Switch(Color to, BlueGreenState next) implements Step {}

  /** The old copy's delay is over: delete {@code copy}. */
  record ScaleDown(Color copy, BlueGreenState next) implements Step {}

  /** Nothing to do now; {@code preview} is the verdict of a new copy not yet switched to (null when there is none). */
  record Hold(BlueGreenState next, Verdict preview) implements Step {}

  /** As {@link #place(BlueGreenState, InPlaceCopy, String, Instant, BlueGreen, boolean, List)} with no in-place copy found. */
  static Placement place(BlueGreenState current, String revision, Instant now, BlueGreen strategy, boolean force,
      List<Map<String, Object>> services) {
    return place(current, null, revision, now, strategy, force, services);
  }

  /**
   * Where {@code revision} goes, given what the site runs ({@code current}, null before the first
   * blue/green apply; {@code found}, the uncolored Deployments an in-place release left running, only
   * looked at when {@code current} is null):
   *
   * <ul>
   *   <li>first apply: blue, selected at once (there is nothing to switch from); but when an in-place
   *       release still runs ({@code found}), blue is a preview and the Services keep selecting the
   *       in-place Deployments (adoption); the in-place revision itself stays in place;
   *   <li>the active copy's revision again (a re-delivery, a self-heal, or a rollback before the
   *       switch): the active color; a preview beside it is abandoned (and pruned by the apply);
   *   <li>the old copy's revision while it exists (a rollback after the switch): the Services switch
   *       back to it at once, and the copy switched away from gets the scale-down delay; so for the
   *       in-place copy, whose Deployments and Services are then applied as rendered;
   *   <li>the preview's revision again: the same preview, the Services stay;
   *   <li>any other revision: a new preview in the other color (replacing an old copy still there,
   *       the in-place one too), the Services stay on the active copy until it is healthy.
   * </ul>
   */
  static Placement place(BlueGreenState current, InPlaceCopy found, String revision, Instant now, BlueGreen strategy,
      boolean force, List<Map<String, Object>> services) {
    if (current == null) {
      if (found != null && found.runs(revision)) return new Placement(null, null, null);
      InPlaceCopy inPlace = found == null ? null : found.at(null);
      Color serving = inPlace == null ? Color.BLUE : null;
      BlueGreenState first = new BlueGreenState(serving, Map.of(Color.BLUE, new Slot(revision, null)),
          strategy.scaleDownDelay(), force, services, inPlace);
      return new Placement(Color.BLUE, serving, first);
    }
    BlueGreenState s = new BlueGreenState(current.active(), current.slots(), strategy.scaleDownDelay(), force, services,
        current.inPlace());
    if (s.inPlaceActive()) return placeBesideInPlace(s, revision, now);
    Color active = s.active();
    Color other = active.other();
    Slot otherSlot = s.slot(other);
    if (s.slot(active).revision().equals(revision)) {
      BlueGreenState next = s.preview().isPresent() ? s.with(other, null) : s;
      return new Placement(active, active, next);
    }
    if (s.inPlace() != null && s.inPlace().runs(revision)) {
      // Back to the in-place copy: the color switched away from waits for the delay; a preview is abandoned.
      BlueGreenState back = s.with(other, null).with(active, new Slot(s.slot(active).revision(), now.plus(s.scaleDownDelay())))
          .withActive(null, s.inPlace().at(null));
      return new Placement(null, null, back);
    }
    if (otherSlot != null && otherSlot.revision().equals(revision)) {
      if (otherSlot.scaleDownAt() == null) return new Placement(other, active, s);
      BlueGreenState back = s.with(other, new Slot(revision, null))
          .with(active, new Slot(s.slot(active).revision(), now.plus(s.scaleDownDelay())))
          .withActive(other);
      return new Placement(other, other, back);
    }
    return new Placement(other, active, s.with(other, new Slot(revision, null)).withInPlace(null));
  }

  /** {@link #place} while the Services select the in-place copy: at most one colored copy runs beside it. */
  private static Placement placeBesideInPlace(BlueGreenState s, String revision, Instant now) {
    if (s.inPlace().runs(revision)) {
      // A rollback before the switch abandons the preview; an old copy keeps its time.
      BlueGreenState next = s.preview().isPresent() ? withoutCopy(s, s.preview().get()) : s;
      return new Placement(null, null, next);
    }
    Color beside = s.colors().isEmpty() ? Color.BLUE : s.colors().iterator().next();
    Slot slot = s.slot(beside);
    if (slot != null && slot.revision().equals(revision)) {
      if (slot.scaleDownAt() == null) return new Placement(beside, null, s);
      // Forward again to the copy switched away from: at once, and the in-place copy gets the delay.
      BlueGreenState forward = s.with(beside, new Slot(revision, null))
          .withActive(beside, s.inPlace().at(now.plus(s.scaleDownDelay())));
      return new Placement(beside, beside, forward);
    }
    return new Placement(beside, null, s.with(beside, new Slot(revision, null)));
  }

  /** {@code s} without {@code copy}; null (no state) when only the in-place copy is left. */
  private static BlueGreenState withoutCopy(BlueGreenState s, Color copy) {
    BlueGreenState next = s.with(copy, null);
    return next.inPlaceActive() && next.slots().isEmpty() ? null : next;
  }

  /**
   * What to do at a health reading: {@code preview} is the verdict of the new copy (ignored when there
   * is none). A healthy new copy is switched to; a failed one is held and never switched to; an old
   * copy whose time has come is deleted.
   */
  static Step step(BlueGreenState s, Verdict preview, Instant now) {
    if (s.preview().isPresent()) {
      Color to = s.preview().get();
      String revision = s.slot(to).revision();
      if (preview.status() == HealthStatus.HEALTHY) {
        Instant goes = now.plus(s.scaleDownDelay());
        if (s.inPlaceActive()) return new Switch(to, s.withActive(to, s.inPlace().at(goes)));
        Color from = s.active();
        BlueGreenState next = s.with(from, new Slot(s.slot(from).revision(), goes)).withActive(to);
        return new Switch(to, next);
      }
      String where = "the " + to.label() + " copy of " + revision + " (Services still on " + s.activeLabel() + ")";
      Verdict v = preview.status() == HealthStatus.FAILED
          ? Verdict.failed(where + " failed: " + preview.reason())
          : Verdict.progressing(where + " is not healthy yet: " + preview.reason());
      return new Hold(s, v);
    }
    if (s.oldCopy().isPresent()) {
      Color old = s.oldCopy().get();
      if (!now.isBefore(s.slot(old).scaleDownAt())) return new ScaleDown(old, withoutCopy(s, old));
    }
    InPlaceCopy inPlace = s.inPlace();
    if (inPlace != null && inPlace.scaleDownAt() != null && !now.isBefore(inPlace.scaleDownAt())) {
      return new ScaleDownInPlace(inPlace.deployments(), s.withInPlace(null));
    }
    return new Hold(s, null);
  }

  /**
   * Whether {@code r} counts in the site's verdict: every object but the Deployments of a copy the
   * Services do not select (a preview, an old copy, the in-place copy once switched away from).
   */
  static boolean serves(ObjectRef r, BlueGreenState s) {
    if (s.inPlaceActive()) return !isCopy(r, Color.BLUE) && !isCopy(r, Color.GREEN);
    if (s.inPlace() != null && s.inPlace().contains(r)) return false;
    return !isCopy(r, s.active().other());
  }

  /** The refs of the render's Deployments as rendered (uncolored): those an in-place release ran. */
  static List<ObjectRef> deployments(List<Map<String, Object>> objects) {
    return objects.stream().filter(BlueGreenPlan::isDeployment).map(ObjectRef::of).toList();
  }

  /** Whether {@code r} is a Deployment of {@code color}'s copy (named {@code <name>-<color>}). */
  static boolean isCopy(ObjectRef r, Color color) {
    return r.kind().equals("Deployment") && r.name().endsWith("-" + color.label());
  }

  /** The name of a Deployment's copy in {@code color}. */
  static String copyName(String name, Color color) {
    return name + "-" + color.label();
  }

  /**
   * The rendered objects as applied under blue/green: each Deployment as {@code workloads}' copy
   * (renamed, the color label on it, in its selector and pod template), each Service that selects a
   * Deployment with the color {@code services} added to its selector, everything else as rendered. A
   * null color leaves those objects as rendered (the in-place copy).
   */
  static List<Map<String, Object>> colored(List<Map<String, Object>> objects, Color workloads, Color services) {
    List<Map<String, String>> podLabels = podLabels(objects);
    List<Map<String, Object>> out = new ArrayList<>(objects.size());
    for (Map<String, Object> o : objects) {
      if (isDeployment(o) && workloads != null) out.add(deploymentCopy(o, workloads));
      else if (isSwitched(o, podLabels) && services != null) out.add(withSelectorColor(o, services));
      else out.add(o);
    }
    return out;
  }

  /** The Services of the render that select one of its Deployments: those a switch re-applies. */
  static List<Map<String, Object>> switchedServices(List<Map<String, Object>> objects) {
    List<Map<String, String>> podLabels = podLabels(objects);
    return objects.stream().filter(o -> isSwitched(o, podLabels)).toList();
  }

  /** A Service with {@code color} added to its selector. */
  static Map<String, Object> withSelectorColor(Map<String, Object> service, Color color) {
    Map<String, Object> copy = deepCopy(service);
    Map<String, Object> spec = child(copy, "spec");
    Map<String, Object> selector = child(spec, "selector");
    selector.put(COLOR_LABEL, color.label());
    return copy;
  }

  private static Map<String, Object> deploymentCopy(Map<String, Object> deployment, Color color) {
    Map<String, Object> copy = deepCopy(deployment);
    Map<String, Object> metadata = child(copy, "metadata");
    metadata.put("name", copyName(String.valueOf(metadata.get("name")), color));
    child(metadata, "labels").put(COLOR_LABEL, color.label());
    Map<String, Object> spec = child(copy, "spec");
    child(child(spec, "selector"), "matchLabels").put(COLOR_LABEL, color.label());
    child(child(child(spec, "template"), "metadata"), "labels").put(COLOR_LABEL, color.label());
    return copy;
  }

  private static boolean isDeployment(Map<String, Object> o) {
    return "Deployment".equals(o.get("kind")) && String.valueOf(o.get("apiVersion")).startsWith("apps/");
  }

  private static boolean isSwitched(Map<String, Object> o, List<Map<String, String>> podLabels) {
    if (!"Service".equals(o.get("kind")) || !"v1".equals(o.get("apiVersion"))) return false;
    Map<String, String> selector = strings(path(o, "spec", "selector"));
    if (selector.isEmpty()) return false;
    return podLabels.stream().anyMatch(labels -> labels.entrySet().containsAll(selector.entrySet()));
  }

  private static List<Map<String, String>> podLabels(List<Map<String, Object>> objects) {
    return objects.stream().filter(BlueGreenPlan::isDeployment)
        .map(d -> strings(path(d, "spec", "template", "metadata", "labels"))).toList();
  }

  private static Object path(Map<String, Object> o, String... keys) {
    Object node = o;
    for (String k : keys) {
      if (!(node instanceof Map<?, ?> m)) return null;
      node = m.get(k);
    }
    return node;
  }

  private static Map<String, String> strings(Object node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key) {
    Object node = parent.get(key);
    if (node instanceof Map<?, ?>) return (Map<String, Object>) node;
    Map<String, Object> created = new LinkedHashMap<>();
    parent.put(key, created);
    return created;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> o) {
    Map<String, Object> copy = new LinkedHashMap<>();
    o.forEach((k, v) -> copy.put(k, copyValue(v)));
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) return deepCopy((Map<String, Object>) m);
    if (v instanceof List<?> l) return l.stream().map(BlueGreenPlan::copyValue).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    return v;
  }
}
