package dev.flotilla.fleet;

import java.util.ArrayList;
import java.util.List;

/** Reads a site selector (tiers, names, matchLabels, matchExpressions, percent). */
final class SelectorReader {
  private SelectorReader() {}

  static SiteSelector read(Fields f, List<String> tierNames, boolean percentAllowed) {
    List<String> tiers = f.strings("tiers", false);
    for (String t : tiers) {
      if (!tierNames.contains(t)) f.problem("tiers", "no tier named '" + t + "' in fleet.yaml (tiers: " + tierNames + ")");
    }
    List<String> names = f.strings("names", false);
    var matchLabels = f.stringMap("matchLabels");
    List<LabelRequirement> expressions = new ArrayList<>();
    for (Fields e : f.objects("matchExpressions", false)) {
      LabelRequirement r = expression(e);
      if (r != null) expressions.add(r);
    }
    Integer percent = null;
    if (f.has("percent")) {
      if (!percentAllowed) {
        f.node("percent");
        f.problem("percent", "percent is only meaningful in a wave selector");
      } else {
        percent = f.integer("percent");
        if (percent != null && (percent < 1 || percent > 100)) {
          f.problem("percent", "expected a whole number from 1 to 100, got " + percent);
          percent = null;
        }
      }
    }
    f.rejectUnknown("tiers", "names", "matchLabels", "matchExpressions", "percent");
    return new SiteSelector(tiers, names, matchLabels, expressions, percent);
  }

  private static LabelRequirement expression(Fields e) {
    String key = e.string("key", true);
    String op = e.string("operator", true);
    List<String> values = e.strings("values", false);
    e.rejectUnknown("key", "operator", "values");
    if (key == null || op == null) return null;
    LabelRequirement.Operator operator;
    try {
      operator = LabelRequirement.Operator.parse(op);
    } catch (IllegalArgumentException ex) {
      e.problem("operator", ex.getMessage());
      return null;
    }
    boolean needsValues = operator == LabelRequirement.Operator.IN || operator == LabelRequirement.Operator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      e.problem("values", operator.word() + " needs at least one value");
      return null;
    }
    if (!needsValues && !values.isEmpty()) {
      e.problem("values", operator.word() + " takes no values");
      return null;
    }
    return new LabelRequirement(key, operator, values);
  }
}
