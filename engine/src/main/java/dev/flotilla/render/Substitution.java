package dev.flotilla.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flux's post-build substitution on text: {@code ${NAME}} takes a value, {@code ${NAME:=default}}
 * and {@code ${NAME:-default}} fall back to the default when the variable is unset (bash and
 * Flux's envsubst), {@code $${NAME}} stands for a literal {@code ${NAME}}. Names match {@code
 * [_a-zA-Z][_a-zA-Z0-9]*}. Any other form on a name ({@code ${NAME#x}}, {@code ${NAME/a/b}},
 * {@code ${NAME:+x}}, ...) is refused rather than passed through: Flux would act on it, and a
 * reader cannot tell what it becomes. Text that is no reference at all (a lone {@code $}, {@code
 * ${ x}}, {@code ${#x}}, an unclosed {@code ${x}) is left as it is. A hand-written scanner, not a
 * regex: it runs for every object of every site that contains {@code ${}.
 */
final class Substitution {

  /** What substitution cannot do in a text: the reference as written and whether it is only undefined. */
  record Issue(String variable, String reference, boolean undefined) {}

  /** The first issue of a text, as an exception. */
  static final class Refused extends Exception {
    private final Issue issue;

    Refused(Issue issue) {
      super(issue.undefined() ? "variable ${" + issue.variable() + "} is not defined"
          : "unsupported substitution " + issue.reference());
      this.issue = issue;
    }

    Issue issue() {
      return issue;
    }
  }

  /** A reference: its name, its default (null for none), where it ends, or the unsupported text. */
  private record Reference(String name, String fallback, int end, String unsupported) {}

  private Substitution() {}

  /** The text with every reference replaced; the very same string when it holds no {@code $}. */
  static String apply(String text, Map<String, String> values) throws Refused {
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
        Issue issue = issue(ref, text, i, values);
        if (issue != null) throw new Refused(issue);
        out.append(text, copied, i).append(valueOf(ref, values));
        copied = ref.end();
        i = text.indexOf('$', copied);
      } else {
        i = text.indexOf('$', i + 1);
      }
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** Every issue of the text, in order of appearance, each reference once. */
  static List<Issue> issues(String text, Map<String, String> values) {
    List<Issue> issues = new ArrayList<>();
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
      Issue issue = issue(ref, text, i, values);
      if (issue != null && !issues.contains(issue)) issues.add(issue);
      i = text.indexOf('$', ref.end());
    }
    return issues;
  }

  private static Issue issue(Reference ref, String text, int start, Map<String, String> values) {
    if (ref.unsupported() != null) return new Issue(ref.name(), ref.unsupported(), false);
    if (values.get(ref.name()) == null && ref.fallback() == null) {
      return new Issue(ref.name(), text.substring(start, ref.end()), true);
    }
    return null;
  }

  private static String valueOf(Reference ref, Map<String, String> values) {
    String value = values.get(ref.name());
    return value != null ? value : ref.fallback();
  }

  /** The reference starting at {@code start} (at {@code ${}), or null when the text there is not one. */
  private static Reference reference(String text, int start) {
    int nameStart = start + 2;
    int j = nameStart;
    if (j >= text.length() || !isNameStart(text.charAt(j))) return null;
    while (j < text.length() && isNamePart(text.charAt(j))) j++;
    String name = text.substring(nameStart, j);
    if (j < text.length() && text.charAt(j) == '}') return new Reference(name, null, j + 1, null);
    int close = text.indexOf('}', j);
    if (close < 0) return null;
    if (text.startsWith(":=", j) || text.startsWith(":-", j)) {
      return new Reference(name, text.substring(j + 2, close), close + 1, null);
    }
    return new Reference(name, null, close + 1, text.substring(start, close + 1));
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
