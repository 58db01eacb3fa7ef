package dev.flotilla.delivery.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one site runs of one blue/green app: which color the Services select ({@code active}), the
 * revision each color's copy runs, and for the copy that is not active either nothing (a preview
 * waiting to be healthy) or when it is to be deleted (the old copy after a switch). Also what a
 * switch needs without the render at hand: the Services to switch (as applied, without the color),
 * whether conflicts are forced, and the scale-down delay. Kept beside the app's {@link Inventory}
 * in its ConfigMap on the cluster, so a pending switch or scale-down survives an engine restart.
 *
 * <p>An app that ran in place before its policy turned blue/green has a third copy, its uncolored
 * Deployments ({@code inPlace}, null otherwise): while it serves, {@code active} is null (the Services
 * select it as rendered) and a color's copy beside it is a preview or an old copy; once a color is
 * switched to, it is an old copy with its time to go.
 */
record BlueGreenState(
    Color active, Map<Color, Slot> slots, Duration scaleDownDelay, boolean force, List<Map<String, Object>> services,
    InPlaceCopy inPlace) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The two copies; the label value is the color's name in lower case. */
  enum Color {
    BLUE,
    GREEN;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    Color other() {
      return this == BLUE ? GREEN : BLUE;
    }

    static Color parse(String label) {
      for (Color c : values()) {
        if (c.label().equals(label)) return c;
      }
      throw new IllegalArgumentException("expected blue or green, got '" + label + "'");
    }
  }

  /** One color's copy: the revision it runs and, for an old copy, when it is deleted (null otherwise). */
  record Slot(String revision, Instant scaleDownAt) {
    Slot {
      Objects.requireNonNull(revision, "revision");
    }
  }

  /**
   * The Deployments an in-place release left, kept as a copy while an app is adopted by blue/green:
   * the revision they run (from their {@code flotilla.dev/revision} annotation; null when they have
   * none, and then no release is recognized as a rollback to them) and, once a color is switched to,
   * when they are deleted (null while the Services select them).
   */
  record InPlaceCopy(String revision, List<ObjectRef> deployments, Instant scaleDownAt) {
    InPlaceCopy {
      deployments = List.copyOf(deployments);
      if (deployments.isEmpty()) throw new IllegalArgumentException("an in-place copy without Deployments");
    }

    InPlaceCopy at(Instant when) {
      return new InPlaceCopy(revision, deployments, when);
    }

    boolean runs(String rev) {
      return revision != null && revision.equals(rev);
    }

    boolean contains(ObjectRef r) {
      return deployments.stream().anyMatch(d -> d.id().equals(r.id()));
    }
  }

  BlueGreenState {
    slots = Map.copyOf(slots);
    if (active == null) {
      // Only the in-place copy can serve without a color, and beside it runs one copy at most.
      if (inPlace == null || inPlace.scaleDownAt() != null) throw new IllegalArgumentException("no copy is active");
      if (slots.size() > 1) throw new IllegalArgumentException("two colored copies beside the in-place one");
    } else {
      if (!slots.containsKey(active)) throw new IllegalArgumentException("the active color " + active.label() + " runs nothing");
      if (inPlace != null && inPlace.scaleDownAt() == null) {
        throw new IllegalArgumentException("the in-place copy is not active and has no time to go");
      }
    }
    Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
    services = List.copyOf(services);
  }

  BlueGreenState(Color active, Map<Color, Slot> slots, Duration scaleDownDelay, boolean force,
      List<Map<String, Object>> services) {
    this(active, slots, scaleDownDelay, force, services, null);
  }

  Slot slot(Color c) {
    return slots.get(c);
  }

  /** The copy beside the active one (or beside the in-place copy serving) that waits to be healthy, if any. */
  Optional<Color> preview() {
    return besideActive(false);
  }

  /** The copy that was switched away from and waits for its scale-down, if any (the in-place copy: {@link #inPlace}). */
  Optional<Color> oldCopy() {
    return besideActive(true);
  }

  private Optional<Color> besideActive(boolean old) {
    for (Color c : Color.values()) {
      Slot s = slots.get(c);
      if (c != active && s != null && (s.scaleDownAt() != null) == old) return Optional.of(c);
    }
    return Optional.empty();
  }

  /** Whether the Services select the in-place copy's Deployments (as rendered, without a color). */
  boolean inPlaceActive() {
    return active == null;
  }

  /** What the Services select, in words: {@code blue}, {@code green} or {@code the in-place Deployments}. */
  String activeLabel() {
    return active == null ? "the in-place Deployments" : active.label();
  }

  /** The colors that run a copy. */
  Set<Color> colors() {
    return slots.isEmpty() ? EnumSet.noneOf(Color.class) : EnumSet.copyOf(slots.keySet());
  }

  /** The color whose copy runs {@code revision}, if any. */
  Optional<Color> colorOf(String revision) {
    for (Color c : Color.values()) {
      Slot s = slots.get(c);
      if (s != null && s.revision().equals(revision)) return Optional.of(c);
    }
    return Optional.empty();
  }

  BlueGreenState with(Color c, Slot s) {
    Map<Color, Slot> next = new LinkedHashMap<>(slots);
    if (s == null) next.remove(c);
    else next.put(c, s);
    return new BlueGreenState(active, next, scaleDownDelay, force, services, inPlace);
  }

  BlueGreenState withActive(Color c) {
    return new BlueGreenState(c, slots, scaleDownDelay, force, services, inPlace);
  }

  /** This state with {@code active} and {@code copy} changed together (the invariant ties them). */
  BlueGreenState withActive(Color c, InPlaceCopy copy) {
    return new BlueGreenState(c, slots, scaleDownDelay, force, services, copy);
  }

  BlueGreenState withInPlace(InPlaceCopy copy) {
    return new BlueGreenState(active, slots, scaleDownDelay, force, services, copy);
  }

  /** As JSON, the text of the inventory ConfigMap's {@code blueGreen} key. */
  String encode() {
    Map<String, Object> out = new LinkedHashMap<>();
    // Left out while the in-place copy serves: a state written before in-place copies always has it.
    if (active != null) out.put("active", active.label());
    Map<String, Object> copies = new LinkedHashMap<>();
    for (Color c : Color.values()) {
      Slot s = slots.get(c);
      if (s == null) continue;
      Map<String, Object> slot = new LinkedHashMap<>();
      slot.put("revision", s.revision());
      if (s.scaleDownAt() != null) slot.put("scaleDownAt", s.scaleDownAt().toString());
      copies.put(c.label(), slot);
    }
    out.put("copies", copies);
    out.put("scaleDownDelaySeconds", scaleDownDelay.toSeconds());
    out.put("forceConflicts", force);
    out.put("services", services);
    if (inPlace != null) {
      Map<String, Object> copy = new LinkedHashMap<>();
      if (inPlace.revision() != null) copy.put("revision", inPlace.revision());
      copy.put("deployments", inPlace.deployments().stream()
          .map(r -> r.apiVersion() + " " + r.kind() + " " + r.namespace() + " " + r.name()).toList());
      if (inPlace.scaleDownAt() != null) copy.put("scaleDownAt", inPlace.scaleDownAt().toString());
      out.put("inPlace", copy);
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("blue/green state of maps read from YAML cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Reads what {@link #encode} wrote. Anything else is a hand edit, and switching or deleting copies
   * on a misread state could cut a site's traffic, so it is refused.
   */
  static BlueGreenState decode(String text) {
    try {
      Map<String, Object> in = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
      Map<Color, Slot> slots = new LinkedHashMap<>();
      if (!(in.get("copies") instanceof Map<?, ?> copies)) throw new IllegalArgumentException("no copies");
      for (Map.Entry<?, ?> e : copies.entrySet()) {
        if (!(e.getValue() instanceof Map<?, ?> slot) || !(slot.get("revision") instanceof String revision)) {
          throw new IllegalArgumentException("copy " + e.getKey() + " has no revision");
        }
        Object at = slot.get("scaleDownAt");
        slots.put(Color.parse(String.valueOf(e.getKey())), new Slot(revision, at == null ? null : Instant.parse(String.valueOf(at))));
      }
      List<Map<String, Object>> services = new ArrayList<>();
      if (in.get("services") instanceof List<?> list) {
        for (Object o : list) {
          if (!(o instanceof Map<?, ?>)) throw new IllegalArgumentException("a service is not an object");
          @SuppressWarnings("unchecked")
          Map<String, Object> service = (Map<String, Object>) o;
          services.add(service);
        }
      }
      Object delay = in.get("scaleDownDelaySeconds");
      if (!(delay instanceof Number seconds)) throw new IllegalArgumentException("no scaleDownDelaySeconds");
      InPlaceCopy inPlace = in.containsKey("inPlace") ? decodeInPlace(in.get("inPlace")) : null;
      Color active = inPlace != null && !in.containsKey("active") ? null : Color.parse(String.valueOf(in.get("active")));
      return new BlueGreenState(active, slots, Duration.ofSeconds(seconds.longValue()),
          Boolean.TRUE.equals(in.get("forceConflicts")), services, inPlace);
    } catch (JsonProcessingException | DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("blue/green state is not what Flotilla wrote: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("blue/green state is not what Flotilla wrote: " + e.getMessage(), e);
    }
  }

  private static InPlaceCopy decodeInPlace(Object node) {
    if (!(node instanceof Map<?, ?> copy) || !(copy.get("deployments") instanceof List<?> lines)) {
      throw new IllegalArgumentException("inPlace has no deployments");
    }
    List<ObjectRef> deployments = new ArrayList<>();
    for (Object line : lines) {
      String[] w = String.valueOf(line).split(" ");
      if (w.length != 4 || !w[1].equals("Deployment")) {
        throw new IllegalArgumentException("inPlace deployment is not \"apiVersion Deployment namespace name\": " + line);
      }
      deployments.add(new ObjectRef(w[0], w[1], w[2], w[3]));
    }
    Object revision = copy.get("revision");
    Object at = copy.get("scaleDownAt");
    return new InPlaceCopy(revision == null ? null : String.valueOf(revision), deployments,
        at == null ? null : Instant.parse(String.valueOf(at)));
  }
}
