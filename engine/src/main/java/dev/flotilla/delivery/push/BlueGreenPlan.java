package dev.flotilla.delivery.push;

import dev.flotilla.delivery.push.BlueGreenState.Color;
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
   * select {@code services}; {@code next} is the state to record with the apply.
   */
  record Placement(Color workloads, Color services, BlueGreenState next) {}

  /** What a health reading leads to. */
  sealed interface Step permits Switch, ScaleDown, Hold {
    BlueGreenState next();
  }

  /** The new copy is healthy: switch the Services to {@code to}; the old copy is deleted at its time. */
  record Switch(Color to, BlueGreenState next) implements Step {}

  /** The old copy's delay is over: delete {@code copy}. */
  record ScaleDown(Color copy, BlueGreenState next) implements Step {}

  /** Nothing to do now; {@code preview} is the verdict of a new copy not yet switched to (null when there is none). */
  record Hold(BlueGreenState next, Verdict preview) implements Step {}

  /**
   * Where {@code revision} goes, given what the site runs ({@code current}, null before the first
   * blue/green apply):
   *
   * <ul>
   *   <li>first apply: blue, selected at once (there is nothing to switch from);
   *   <li>the active copy's revision again (a re-delivery, a self-heal, or a rollback before the
   *       switch): the active color; a preview beside it is abandoned (and pruned by the apply);
   *   <li>the old copy's revision while it exists (a rollback after the switch): the Services switch
   *       back to it at once, and the copy switched away from gets the scale-down delay;
   *   <li>the preview's revision again: the same preview, the Services stay;
   *   <li>any other revision: a new preview in the other color (replacing an old copy still there),
   *       the Services stay on the active color until it is healthy.
   * </ul>
   */
  static Placement place(BlueGreenState current, String revision, Instant now, BlueGreen strategy, boolean force,
      List<Map<String, Object>> services) {
    if (current == null) {
      BlueGreenState first = new BlueGreenState(Color.BLUE, Map.of(Color.BLUE, new Slot(revision, null)),
          strategy.scaleDownDelay(), force, services);
      return new Placement(Color.BLUE, Color.BLUE, first);
    }
    BlueGreenState s = new BlueGreenState(current.active(), current.slots(), strategy.scaleDownDelay(), force, services);
    Color active = s.active();
    Color other = active.other();
    Slot otherSlot = s.slot(other);
    if (s.slot(active).revision().equals(revision)) {
      BlueGreenState next = s.preview().isPresent() ? s.with(other, null) : s;
      return new Placement(active, active, next);
    }
    if (otherSlot != null && otherSlot.revision().equals(revision)) {
      if (otherSlot.scaleDownAt() == null) return new Placement(other, active, s);
      BlueGreenState back = s.with(other, new Slot(revision, null))
          .with(active, new Slot(s.slot(active).revision(), now.plus(s.scaleDownDelay())))
          .withActive(other);
      return new Placement(other, other, back);
    }
    return new Placement(other, active, s.with(other, new Slot(revision, null)));
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
        Color from = s.active();
        BlueGreenState next = s.with(from, new Slot(s.slot(from).revision(), now.plus(s.scaleDownDelay()))).withActive(to);
        return new Switch(to, next);
      }
      String where = "the " + to.label() + " copy of " + revision + " (Services still on " + s.active().label() + ")";
      Verdict v = preview.status() == HealthStatus.FAILED
          ? Verdict.failed(where + " failed: " + preview.reason())
          : Verdict.progressing(where + " is not healthy yet: " + preview.reason());
      return new Hold(s, v);
    }
    if (s.oldCopy().isPresent()) {
      Color old = s.oldCopy().get();
      if (!now.isBefore(s.slot(old).scaleDownAt())) return new ScaleDown(old, s.with(old, null));
    }
    return new Hold(s, null);
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
   * Deployment with the color {@code services} added to its selector, everything else as rendered.
   */
  static List<Map<String, Object>> colored(List<Map<String, Object>> objects, Color workloads, Color services) {
    List<Map<String, String>> podLabels = podLabels(objects);
    List<Map<String, Object>> out = new ArrayList<>(objects.size());
    for (Map<String, Object> o : objects) {
      if (isDeployment(o)) out.add(deploymentCopy(o, workloads));
      else if (isSwitched(o, podLabels)) out.add(withSelectorColor(o, services));
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
