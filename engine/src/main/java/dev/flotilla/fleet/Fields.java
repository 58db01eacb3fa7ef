package dev.flotilla.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML mapping field by field, remembering which keys were read so that every key left
 * over is reported as an unknown field. Each wrong shape becomes a {@link Problem} with the file,
 * the line of the offending node and the dotted field path; reading goes on so that one pass finds
 * every problem.
 */
final class Fields {
  private final String file;
  private final String path;
  private final Node node;
  private final Problems problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> read = new TreeSet<>();

  Fields(String file, String path, Node node, Problems problems) {
    this.file = file;
    this.path = path;
    this.node = node;
    this.problems = problems;
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          problems.add(file, line(tuple.getKeyNode()), path, "keys must be plain strings");
          continue;
        }
        if (entries.putIfAbsent(key.getValue(), tuple) != null) {
          problems.add(file, line(key), child(key.getValue()), "duplicate key");
        }
      }
    } else if (node != null) {
      problems.add(file, line(node), path, "expected a mapping, got " + describe(node));
    }
  }

  static int line(Node node) {
    return node == null ? 0 : node.getStartMark().getLine() + 1;
  }

  String file() {
    return file;
  }

  int line() {
    return line(node);
  }

  String path() {
    return path;
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  int lineOf(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? line() : line(t.getValueNode());
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  void problem(String key, String message) {
    problems.add(file, lineOf(key), child(key), message);
  }

  void problemAt(Node at, String field, String message) {
    problems.add(file, line(at), field, message);
  }

  Optional<Node> node(String key) {
    read.add(key);
    NodeTuple t = entries.get(key);
    return t == null ? Optional.empty() : Optional.of(t.getValueNode());
  }

  private Optional<Node> present(String key, boolean required) {
    Optional<Node> n = node(key);
    if (n.isEmpty() && required) problems.add(file, line(), child(key), "required field is missing");
    return n.filter(v -> !isNull(v));
  }

  /** A scalar's text; null when absent (reported when required) or of the wrong shape. */
  String string(String key, boolean required) {
    Optional<Node> n = present(key, required);
    if (n.isEmpty()) return null;
    if (n.get() instanceof ScalarNode s) return s.getValue();
    problem(key, "expected a string, got " + describe(n.get()));
    return null;
  }

  Integer integer(String key) {
    String text = string(key, false);
    if (text == null) return null;
    try {
      return Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      problem(key, "expected a whole number, got '" + Names.shorten(text) + "'");
      return null;
    }
  }

  Double number(String key, boolean required) {
    String text = string(key, required);
    if (text == null) return null;
    try {
      return Double.valueOf(text.trim());
    } catch (NumberFormatException e) {
      problem(key, "expected a number, got '" + Names.shorten(text) + "'");
      return null;
    }
  }

  boolean bool(String key) {
    Optional<Node> n = present(key, false);
    if (n.isEmpty()) return false;
    if (n.get() instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) return Boolean.parseBoolean(s.getValue());
    problem(key, "expected true or false, got " + describe(n.get()));
    return false;
  }

  List<String> strings(String key, boolean required) {
    Optional<Node> n = present(key, required);
    if (n.isEmpty()) return List.of();
    if (!(n.get() instanceof SequenceNode seq)) {
      problem(key, "expected a list of strings, got " + describe(n.get()));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      if (item instanceof ScalarNode s && !isNull(s)) out.add(s.getValue());
      else problemAt(item, child(key) + "[" + i + "]", "expected a string, got " + describe(item));
    }
    return out;
  }

  /** A map of scalars, in key order; non-scalar values are reported. */
  Map<String, String> stringMap(String key) {
    Optional<Node> n = present(key, false);
    if (n.isEmpty()) return Map.of();
    if (!(n.get() instanceof MappingNode)) {
      problem(key, "expected a map of strings, got " + describe(n.get()));
      return Map.of();
    }
    Fields inner = new Fields(file, child(key), n.get(), problems);
    Map<String, String> out = new TreeMap<>();
    for (String k : inner.entries.keySet()) {
      Node v = inner.entries.get(k).getValueNode();
      if (!(v instanceof ScalarNode s) || isNull(s)) {
        inner.problem(k, "expected a string value, got " + describe(v));
      } else if (unquoted(s) != null) {
        inner.problem(k, "expected a string, got the " + unquoted(s) + " " + Names.shorten(s.getValue()) + " (YAML reads it unquoted as "
            + "one; Kubernetes refuses it in a label); quote it: " + k + ": \"" + Names.shorten(s.getValue()) + "\"");
      } else {
        out.put(k, s.getValue());
      }
    }
    return out;
  }

  /**
   * What YAML makes of an unquoted scalar that is not a string ({@code true}, {@code no}, {@code
   * 3}, {@code 1.10}, {@code 2026-01-01}), or null for a string. Such values are refused with the
   * fix rather than taken as text: {@code 1.10} and {@code 1.1} would otherwise be one value to
   * every other YAML reader, and {@code canary: true} is no label value to Kubernetes.
   */
  private static String unquoted(ScalarNode s) {
    Tag tag = s.getTag();
    if (tag.equals(Tag.BOOL)) return "boolean";
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) return "number";
    if (tag.equals(Tag.TIMESTAMP)) return "timestamp";
    return null;
  }

  Map<String, Integer> keyLines(String key) {
    Map<String, Integer> out = new TreeMap<>();
    node(key).filter(n -> n instanceof MappingNode).ifPresent(n -> {
      for (NodeTuple t : ((MappingNode) n).getValue()) {
        if (t.getKeyNode() instanceof ScalarNode s) out.put(s.getValue(), line(s));
      }
    });
    return out;
  }

  /** A nested mapping; an empty reader when absent (reported when required). */
  Fields object(String key, boolean required) {
    Optional<Node> n = present(key, required);
    return new Fields(file, child(key), n.orElse(null), problems);
  }

  /** A list of mappings. */
  List<Fields> objects(String key, boolean required) {
    Optional<Node> n = present(key, required);
    if (n.isEmpty()) return List.of();
    if (!(n.get() instanceof SequenceNode seq)) {
      problem(key, "expected a list, got " + describe(n.get()));
      return List.of();
    }
    List<Fields> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      out.add(new Fields(file, child(key) + "[" + i + "]", seq.getValue().get(i), problems));
    }
    return out;
  }

  /** Reports each key that no reader asked for. */
  void rejectUnknown(String... known) {
    for (String key : entries.keySet()) {
      if (!read.contains(key)) {
        problems.add(file, line(entries.get(key).getKeyNode()), child(key),
            "unknown field; expected one of: " + String.join(", ", known));
      }
    }
  }

  boolean isPresent() {
    return node instanceof MappingNode;
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  static String describe(Node n) {
    if (n == null) return "nothing";
    if (n instanceof MappingNode) return "a mapping";
    if (n instanceof SequenceNode) return "a list";
    if (isNull(n)) return "null";
    return "'" + Names.shorten(((ScalarNode) n).getValue()) + "'";
  }
}
