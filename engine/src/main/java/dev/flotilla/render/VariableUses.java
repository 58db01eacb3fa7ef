package dev.flotilla.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Where a variable is referenced: in an object's fields (as field paths) and in the overlay's input files (as lines). */
final class VariableUses {
  private VariableUses() {}

  /** The paths of the fields of {@code tree} whose value references {@code variable}, such as {@code spec.template.spec.containers[0].env[1].value}. */
  static List<String> fields(JsonNode tree, String variable) {
    List<String> paths = new ArrayList<>();
    walk(tree, "", variable, paths);
    return paths;
  }

  /** The first line (1-based) of {@code text} that references {@code variable}, or 0 when none does. */
  static int line(String text, String variable) {
    int n = 1;
    for (Iterator<String> lines = text.lines().iterator(); lines.hasNext(); n++) {
      if (references(lines.next(), variable)) return n;
    }
    return 0;
  }

  static boolean references(String text, String variable) {
    for (String form : List.of("${" + variable + "}", "${" + variable + ":")) {
      for (int i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) {
        if (i == 0 || text.charAt(i - 1) != '$') return true;
      }
    }
    return false;
  }

  private static void walk(JsonNode node, String path, String variable, List<String> paths) {
    if (node.isTextual()) {
      if (references(node.asText(), variable)) paths.add(path);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) walk(node.get(i), path + "[" + i + "]", variable, paths);
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String key = field.getKey();
        String child = key.matches("[A-Za-z0-9_-]+") ? (path.isEmpty() ? key : path + "." + key) : path + "[\"" + key + "\"]";
        walk(field.getValue(), child, variable, paths);
      }
    }
  }
}
