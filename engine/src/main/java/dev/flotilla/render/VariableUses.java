package dev.flotilla.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Where a reference such as {@code ${STORE_ID}} is written: in an object's fields (as field paths) and in the overlay's input files (as lines). */
final class VariableUses {
  private VariableUses() {}

  /** The paths of the fields of {@code tree} whose value holds {@code reference}, such as {@code spec.template.spec.containers[0].env[1].value}. */
  static List<String> fields(JsonNode tree, String reference) {
    List<String> paths = new ArrayList<>();
    walk(tree, "", reference, paths);
    return paths;
  }

  /** The first line (1-based) of {@code text} that holds {@code reference}, or 0 when none does. */
  static int line(String text, String reference) {
    int n = 1;
    for (Iterator<String> lines = text.lines().iterator(); lines.hasNext(); n++) {
      if (references(lines.next(), reference)) return n;
    }
    return 0;
  }

  /** True when {@code text} holds {@code reference} (such as {@code ${STORE_ID}}) not escaped as {@code $${...}}. */
  static boolean references(String text, String reference) {
    for (int i = text.indexOf(reference); i >= 0; i = text.indexOf(reference, i + 1)) {
      if (i == 0 || text.charAt(i - 1) != '$') return true;
    }
    return false;
  }

  private static void walk(JsonNode node, String path, String reference, List<String> paths) {
    if (node.isTextual()) {
      if (references(node.asText(), reference)) paths.add(path);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) walk(node.get(i), path + "[" + i + "]", reference, paths);
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String key = field.getKey();
        String child = key.matches("[A-Za-z0-9_-]+") ? (path.isEmpty() ? key : path + "." + key) : path + "[\"" + key + "\"]";
        walk(field.getValue(), child, reference, paths);
      }
    }
  }
}
