package dev.flotilla.fleet;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One Kubernetes-style {@code matchExpressions} entry: a key, an operator and values. */
public record LabelRequirement(String key, Operator operator, List<String> values) {

  /** The operators of Kubernetes label selectors. */
  public enum Operator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    private final String word;

    Operator(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    public static Operator parse(String word) {
      for (Operator op : values()) {
        if (op.word.equals(word)) return op;
      }
      throw new IllegalArgumentException("expected one of In, NotIn, Exists, DoesNotExist, got '" + Names.shorten(word) + "'");
    }
  }

  public LabelRequirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values == null ? List.of() : values);
  }

  public boolean matches(Map<String, String> labels) {
    return matchesValue(labels.get(key));
  }

  /** Whether a site whose label {@code key} has {@code value} (null: absent) matches. */
  public boolean matchesValue(String value) {
    return switch (operator) {
      case IN -> value != null && values.contains(value);
      case NOT_IN -> value == null || !values.contains(value);
      case EXISTS -> value != null;
      case DOES_NOT_EXIST -> value == null;
    };
  }
}
