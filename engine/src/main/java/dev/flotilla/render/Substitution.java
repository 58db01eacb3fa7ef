package dev.flotilla.render;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Flux's post-build substitution on text: {@code ${NAME}} takes a value, {@code ${NAME:=default}}
 * falls back to the default, {@code $${NAME}} stands for a literal {@code ${NAME}}. Names match
 * {@code [_a-zA-Z][_a-zA-Z0-9]*}; text that is not such a reference (a lone {@code $}, shell forms
 * such as {@code ${x#y}}) is left as it is. A hand-written scanner, not a regex: it runs for every
 * object of every site that contains {@code ${}.
 */
final class Substitution {

  /** A reference to a variable that has no value and no default. */
  static final class UndefinedVariable extends Exception {
    private final String variable;

    UndefinedVariable(String variable) {
      super("variable ${" + variable + "} is not defined");
      this.variable = variable;
    }

    String variable() {
      return variable;
    }
  }

  private record Reference(String name, String fallback, int end) {}

  private Substitution() {}

  /** The text with every reference replaced; the very same string when it holds no {@code $}. */
  static String apply(String text, Map<String, String> values) throws UndefinedVariable {
    int i = text.indexOf('$');
    if (i < 0) return text;
    StringBuilder out = new StringBuilder(text.length() + 64);
    int copied = 0;
    while (i >= 0) {
      if (text.startsWith("$${", i)) {
        out.append(text, copied, i).append("${");
        copied = i + 3;
        i = text.indexOf('$', copied);
        continue;
      }
      Reference ref = text.startsWith("${", i) ? reference(text, i) : null;
      if (ref != null) {
        out.append(text, copied, i).append(valueOf(ref, values));
        copied = ref.end();
        i = text.indexOf('$', copied);
      } else {
        i = text.indexOf('$', i + 1);
      }
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** The names of every reference in {@code text} that has neither a value nor a default, sorted. */
  static Set<String> undefined(String text, Map<String, String> values) {
    Set<String> names = new TreeSet<>();
    int i = text.indexOf('$');
    while (i >= 0) {
      if (text.startsWith("$${", i)) {
        i = text.indexOf('$', i + 3);
        continue;
      }
      Reference ref = text.startsWith("${", i) ? reference(text, i) : null;
      if (ref == null) {
        i = text.indexOf('$', i + 1);
        continue;
      }
      if (values.get(ref.name()) == null && ref.fallback() == null) names.add(ref.name());
      i = text.indexOf('$', ref.end());
    }
    return names;
  }

  private static String valueOf(Reference ref, Map<String, String> values) throws UndefinedVariable {
    String value = values.get(ref.name());
    if (value != null) return value;
    if (ref.fallback() != null) return ref.fallback();
    throw new UndefinedVariable(ref.name());
  }

  /** The reference starting at {@code start} (at {@code ${}), or null when the text there is not one. */
  private static Reference reference(String text, int start) {
    int nameStart = start + 2;
    int j = nameStart;
    if (j >= text.length() || !isNameStart(text.charAt(j))) return null;
    while (j < text.length() && isNamePart(text.charAt(j))) j++;
    String name = text.substring(nameStart, j);
    if (j < text.length() && text.charAt(j) == '}') return new Reference(name, null, j + 1);
    if (!text.startsWith(":=", j)) return null;
    int close = text.indexOf('}', j + 2);
    if (close < 0) return null;
    return new Reference(name, text.substring(j + 2, close), close + 1);
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
