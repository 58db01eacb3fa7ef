package dev.flotilla.health;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only access to a Kubernetes object as the plain maps and lists a JSON or YAML reader gives
 * ({@code Map<String,Object>}); absent fields read as empty, never as an exception, because a
 * status is often half filled in.
 */
record Tree(Map<?, ?> root) {

  static Tree of(Object node) {
    return new Tree(node instanceof Map<?, ?> m ? m : Map.of());
  }

  Object get(String dottedPath) {
    Object node = root;
    for (String key : dottedPath.split("\\.")) {
      if (!(node instanceof Map<?, ?> m)) return null;
      node = m.get(key);
    }
    return node;
  }

  Tree tree(String dottedPath) {
    return of(get(dottedPath));
  }

  String string(String dottedPath) {
    Object v = get(dottedPath);
    return v == null ? "" : String.valueOf(v);
  }

  boolean has(String dottedPath) {
    return get(dottedPath) != null;
  }

  /** A number, also when a YAML reader left it as a string; {@code fallback} when absent or not a number. */
  long number(String dottedPath, long fallback) {
    Object v = get(dottedPath);
    if (v instanceof Number n) return n.longValue();
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  List<?> list(String dottedPath) {
    return get(dottedPath) instanceof List<?> l ? l : List.of();
  }

  /** The entry of {@code status.conditions} with this type, if any. */
  Optional<Tree> condition(String type) {
    return list("status.conditions").stream().map(Tree::of).filter(c -> type.equals(c.string("type"))).findFirst();
  }

  boolean conditionIs(String type, String status) {
    return condition(type).map(c -> status.equals(c.string("status"))).orElse(false);
  }
}
