package dev.flotilla.delivery.push;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is sent for one object in a server-side apply: the rendered object as it is, minus what the
 * server owns ({@code status}, and in {@code metadata}: {@code managedFields}, {@code
 * resourceVersion}, {@code uid}, {@code creationTimestamp}, {@code generation}, {@code selfLink},
 * {@code deletionTimestamp}) and minus the fields the app leaves to another controller. Sending a
 * server-owned field would either be rejected or, for {@code resourceVersion}, turn the apply into
 * an optimistic-lock update that fails whenever someone else wrote first.
 */
public final class ApplyBody {
  static final List<String> SERVER_OWNED_METADATA = List.of(
      "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink", "deletionTimestamp",
      "deletionGracePeriodSeconds");

  private ApplyBody() {}

  /** A deep copy of {@code object} ready to be applied; {@code object} itself is not changed. */
  public static Map<String, Object> of(Map<String, ?> object, List<IgnoredField> ignored) {
    Map<String, Object> body = deepCopy(object);
    body.remove("status");
    if (body.get("metadata") instanceof Map<?, ?> metadata) {
      SERVER_OWNED_METADATA.forEach(metadata::remove);
    }
    ObjectRef ref = ObjectRef.of(body);
    for (IgnoredField field : ignored) {
      if (field.matches(ref)) remove(body, field.path());
    }
    return body;
  }

  private static void remove(Map<String, Object> body, String dottedPath) {
    String[] keys = dottedPath.split("\\.");
    Object node = body;
    for (int i = 0; i < keys.length - 1; i++) {
      if (!(node instanceof Map<?, ?> m)) return;
      node = m.get(keys[i]);
    }
    if (node instanceof Map<?, ?> m) m.remove(keys[keys.length - 1]);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> deepCopy(Map<String, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, copyValue(v)));
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) return deepCopy((Map<String, ?>) m);
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(e -> copy.add(copyValue(e)));
      return copy;
    }
    return v;
  }
}
