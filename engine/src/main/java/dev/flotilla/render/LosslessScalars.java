package dev.flotilla.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps text substitution from silently changing values. Substituting on YAML text, as Flux does,
 * lets {@code replicas: ${REPLICAS}} become the number 3. But kustomize's command line drops the
 * quotes of {@code value: "${STORE_ID}"}, so a store id {@code 0003} would become the number 3
 * too, and {@code 1.10} would become 1.1. Rule: where a string containing a reference became a
 * number, boolean or null whose YAML text differs from the substituted text, the substituted text
 * is kept as a string. {@code 3}, {@code true} and {@code 8080} still become typed values, except
 * in fields the Kubernetes API only accepts as strings (ConfigMap and Secret data, labels,
 * annotations, container env values), where a substituted value always stays a string.
 */
final class LosslessScalars {
  private LosslessScalars() {}

  /** Repairs {@code after} (the re-parsed, substituted tree, which it owns) against {@code before}. */
  static void repair(JsonNode before, JsonNode after, Map<String, String> values) {
    repair(before, after, values, after.path("kind").asText("") + ":");
  }

  private static void repair(JsonNode before, JsonNode after, Map<String, String> values, String path) {
    if (before.isObject() && after.isObject()) {
      ObjectNode target = (ObjectNode) after;
      List<String> names = new ArrayList<>();
      after.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode b = before.get(name);
        if (b == null) continue; // the key itself was substituted: nothing to compare with
        JsonNode fixed = fixed(b, after.get(name), values, path + "/" + name);
        if (fixed != null) target.set(name, fixed);
      }
    } else if (before.isArray() && after.isArray() && before.size() == after.size()) {
      ArrayNode target = (ArrayNode) after;
      for (int i = 0; i < after.size(); i++) {
        JsonNode fixed = fixed(before.get(i), after.get(i), values, path + "/[]");
        if (fixed != null) target.set(i, fixed);
      }
    }
  }

  /** The string that should replace {@code after}, or null (after recursing into containers). */
  private static JsonNode fixed(JsonNode before, JsonNode after, Map<String, String> values, String path) {
    if (after.isContainerNode()) {
      repair(before, after, values, path);
      return null;
    }
    if (!before.isTextual() || after.isTextual() || !before.asText().contains("${")) return null;
    String substituted = substitute(before.asText(), values);
    return after.asText().equals(substituted) && !isStringOnly(path) ? null : TextNode.valueOf(substituted);
  }

  /** Paths ({@code Kind:/a/b/[]/c}) whose values the Kubernetes API takes only as strings. */
  static boolean isStringOnly(String path) {
    return STRING_ONLY.matcher(path).matches();
  }

  private static final java.util.regex.Pattern STRING_ONLY = java.util.regex.Pattern.compile(
      "(ConfigMap|Secret):/(data|stringData|binaryData)/[^/]+"
          + "|.*/metadata/(labels|annotations)/[^/]+"
          + "|.*/env/\\[]/value");

  private static String substitute(String text, Map<String, String> values) {
    try {
      return Substitution.apply(text, values);
    } catch (Substitution.Refused e) {
      // The object's whole text was substituted already, so every reference in it has a value.
      throw new IllegalStateException("a reference resolved in the object but not in its scalar: " + text, e);
    }
  }
}
