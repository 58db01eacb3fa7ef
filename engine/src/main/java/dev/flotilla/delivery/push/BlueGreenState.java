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
 */
record BlueGreenState(
    Color active, Map<Color, Slot> slots, Duration scaleDownDelay, boolean force, List<Map<String, Object>> services) {
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

  BlueGreenState {
    Objects.requireNonNull(active, "active");
    slots = Map.copyOf(slots);
    if (!slots.containsKey(active)) throw new IllegalArgumentException("the active color " + active.label() + " runs nothing");
    Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
    services = List.copyOf(services);
  }

  Slot slot(Color c) {
    return slots.get(c);
  }

  /** The copy beside the active one that waits to be healthy, if any. */
  Optional<Color> preview() {
    Slot s = slots.get(active.other());
    return s != null && s.scaleDownAt() == null ? Optional.of(active.other()) : Optional.empty();
  }

  /** The copy that was switched away from and waits for its scale-down, if any. */
  Optional<Color> oldCopy() {
    Slot s = slots.get(active.other());
    return s != null && s.scaleDownAt() != null ? Optional.of(active.other()) : Optional.empty();
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
    return new BlueGreenState(active, next, scaleDownDelay, force, services);
  }

  BlueGreenState withActive(Color c) {
    return new BlueGreenState(c, slots, scaleDownDelay, force, services);
  }

  /** As JSON, the text of the inventory ConfigMap's {@code blueGreen} key. */
  String encode() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("active", active.label());
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
      return new BlueGreenState(Color.parse(String.valueOf(in.get("active"))), slots, Duration.ofSeconds(seconds.longValue()),
          Boolean.TRUE.equals(in.get("forceConflicts")), services);
    } catch (JsonProcessingException | DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("blue/green state is not what Flotilla wrote: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("blue/green state is not what Flotilla wrote: " + e.getMessage(), e);
    }
  }
}
