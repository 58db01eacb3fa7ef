package dev.flotilla.delivery.push;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The objects Flotilla applied for one app at one site, remembered so that objects which leave Git
 * can be pruned. Kept as text in a ConfigMap on the cluster itself (one line per object: {@code
 * apiVersion kind namespace name}, {@code -} for no namespace) so another engine can take over.
 * For a blue/green app it also carries the {@link BlueGreenState} (null otherwise).
 */
record Inventory(Set<ObjectRef> objects, BlueGreenState blueGreen) {
  static final Inventory EMPTY = new Inventory(Set.of());

  Inventory {
    objects = Set.copyOf(new LinkedHashSet<>(objects));
  }

  Inventory(Set<ObjectRef> objects) {
    this(objects, null);
  }

  Inventory withBlueGreen(BlueGreenState state) {
    return new Inventory(objects, state);
  }

  /** This inventory without {@code gone}. */
  Inventory minus(Collection<ObjectRef> gone) {
    Set<ObjectRef> rest = new LinkedHashSet<>(objects);
    rest.removeAll(gone);
    return new Inventory(rest, blueGreen);
  }

  static Inventory of(Collection<ObjectRef> objects) {
    return new Inventory(new LinkedHashSet<>(objects));
  }

  boolean isEmpty() {
    return objects.isEmpty();
  }

  Inventory plus(Collection<ObjectRef> more) {
    Set<ObjectRef> all = new LinkedHashSet<>(objects);
    all.addAll(more);
    return new Inventory(all, blueGreen);
  }

  /**
   * What this inventory holds and {@code current} does not: the candidates for pruning. Objects are
   * matched by kind, namespace and name, not by API version: an object whose manifest moved from
   * {@code autoscaling/v2beta2} to {@code autoscaling/v2} is the same object on the cluster and
   * must not be deleted right after being applied.
   */
  List<ObjectRef> notIn(Collection<ObjectRef> current) {
    Set<String> ids = new LinkedHashSet<>();
    current.forEach(r -> ids.add(r.id()));
    List<ObjectRef> gone = new ArrayList<>();
    for (ObjectRef r : objects) {
      if (!ids.contains(r.id())) gone.add(r);
    }
    return gone;
  }

  /** One line per object, sorted, so an unchanged inventory writes the same text. */
  String encode() {
    return objects.stream()
        .map(r -> r.apiVersion() + " " + r.kind() + " " + (r.namespace().isEmpty() ? "-" : r.namespace()) + " " + r.name())
        .sorted()
        .reduce(new StringBuilder(), (b, line) -> b.append(line).append('\n'), StringBuilder::append)
        .toString();
  }

  /**
   * Reads what {@link #encode} wrote; a line that is not four words is a hand edit of the ConfigMap,
   * and pruning on a misread inventory could delete the wrong objects, so it is refused.
   */
  static Inventory decode(String text) {
    List<ObjectRef> refs = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) continue;
      String[] w = line.trim().split(" ");
      if (w.length != 4) throw new IllegalArgumentException("inventory line is not \"apiVersion kind namespace name\": " + line);
      refs.add(new ObjectRef(w[0], w[1], w[2].equals("-") ? "" : w[2], w[3]));
    }
    return of(refs);
  }
}
