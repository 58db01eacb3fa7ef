package dev.flotilla.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a live object has drifted from what Flotilla applied, judged only on the fields Flotilla
 * sets: every field of the desired object (the apply body, so server-owned and ignored fields are
 * already out) must have the same value live. Fields only the live object has (defaults filled in
 * by the API server, fields of other managers, status) are not drift. Lists are compared element
 * by element, each element again on its desired fields only, so a container that got a defaulted
 * {@code imagePullPolicy} has not drifted; a list of another length has. Pure: no I/O.
 */
public final class Drift {
  private Drift() {}

  /** The drifted fields, in the desired object's order; empty when the live object matches. */
  public static List<FieldDrift> of(Map<String, ?> desired, Map<String, ?> live) {
    List<FieldDrift> drift = new ArrayList<>();
    compareMaps("", desired, live, drift);
    return drift;
  }

  private static void compareMaps(String path, Map<?, ?> desired, Map<?, ?> live, List<FieldDrift> into) {
    desired.forEach((key, want) -> {
      String p = path.isEmpty() ? String.valueOf(key) : path + "." + key;
      compare(p, want, live.get(key), into);
    });
  }

  private static void compare(String path, Object want, Object have, List<FieldDrift> into) {
    if (want instanceof Map<?, ?> w && have instanceof Map<?, ?> h) {
      compareMaps(path, w, h, into);
    } else if (want instanceof List<?> w && have instanceof List<?> h && w.size() == h.size()) {
      for (int i = 0; i < w.size(); i++) compare(path + "[" + i + "]", w.get(i), h.get(i), into);
    } else if (!sameScalar(want, have)) {
      into.add(new FieldDrift(path, want, have));
    }
  }

  /** Numbers compare by value (a YAML 2 and a JSON 2L are the same); an empty map or list desired matches an absent one. */
  private static boolean sameScalar(Object want, Object have) {
    if (want instanceof Number w && have instanceof Number h) return new java.math.BigDecimal(w.toString()).compareTo(new java.math.BigDecimal(h.toString())) == 0;
    if (have == null && (want instanceof Map<?, ?> m && m.isEmpty() || want instanceof List<?> l && l.isEmpty())) return true;
    return Objects.equals(want, have);
  }
}
