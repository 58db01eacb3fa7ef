package dev.flotilla.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a Kubernetes label selector string, as {@code kubectl get -l} takes it, into a {@link
 * SiteSelector}: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a)},
 * {@code k} (exists) and {@code !k} (does not exist), joined by commas. The built-in labels
 * {@code flotilla.dev/tier}, {@code flotilla.dev/site} and {@code flotilla.dev/delivery} work too.
 */
public final class SelectorExpression {
  private static final Pattern SET = Pattern.compile("\\s*([^\\s!=,()]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
  private static final Pattern EQUALITY = Pattern.compile("\\s*([^\\s!=,()]+)\\s*(==|=|!=)\\s*([^\\s!=,()]*)\\s*");
  private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*([^\\s!=,()]+)\\s*");

  private SelectorExpression() {}

  public static SiteSelector parse(String text) {
    List<LabelRequirement> requirements = new ArrayList<>();
    for (String term : splitTerms(text)) {
      requirements.add(requirement(term));
    }
    return new SiteSelector(null, null, null, requirements, null);
  }

  private static LabelRequirement requirement(String term) {
    Matcher m = SET.matcher(term);
    if (m.matches()) {
      List<String> values = List.of(m.group(3).split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
      if (values.isEmpty()) throw new IllegalArgumentException("'" + term.trim() + "' lists no values");
      var op = m.group(2).equals("in") ? LabelRequirement.Operator.IN : LabelRequirement.Operator.NOT_IN;
      return new LabelRequirement(m.group(1), op, values);
    }
    m = EQUALITY.matcher(term);
    if (m.matches()) {
      var op = m.group(2).equals("!=") ? LabelRequirement.Operator.NOT_IN : LabelRequirement.Operator.IN;
      return new LabelRequirement(m.group(1), op, List.of(m.group(3)));
    }
    m = EXISTS.matcher(term);
    if (m.matches()) {
      var op = m.group(1).isEmpty() ? LabelRequirement.Operator.EXISTS : LabelRequirement.Operator.DOES_NOT_EXIST;
      return new LabelRequirement(m.group(2), op, List.of());
    }
    throw new IllegalArgumentException("cannot read selector term '" + term.trim()
        + "': expected k=v, k!=v, k in (a,b), k notin (a,b), k or !k");
  }

  /** Splits on commas that are not inside parentheses. */
  private static List<String> splitTerms(String text) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') depth++;
      if (c == ')') depth--;
      if (c == ',' && depth == 0) {
        terms.add(text.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(text.substring(start));
    return terms.stream().filter(t -> !t.isBlank()).toList();
  }
}
