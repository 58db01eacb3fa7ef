package dev.flotilla.plan;

import java.util.List;
import java.util.Locale;

/** The few phrases every plan format shares, so text, markdown and the PR comment say the same. */
final class PlanWords {
  private PlanWords() {}

  /** "11 sites, 5 change"; "1 site, 1 changes" reads as "of them, 1 changes". */
  static String counts(int sites, int changing) {
    return number(sites) + (sites == 1 ? " site, " : " sites, ") + number(changing) + (changing == 1 ? " changes" : " change");
  }

  /** 2400 → "2,400": fleet sizes are read at a glance. */
  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String sites(int n) {
    return number(n) + (n == 1 ? " site" : " sites");
  }

  /** At most {@code max} names, then "… and N more", each name formatted by {@code quote}. */
  static String bounded(List<String> names, int max, java.util.function.UnaryOperator<String> quote) {
    StringBuilder b = new StringBuilder();
    int shown = Math.min(max, names.size());
    for (int i = 0; i < shown; i++) {
      if (i > 0) b.append(", ");
      b.append(quote.apply(names.get(i)));
    }
    if (names.size() > shown) b.append(", … and ").append(number(names.size() - shown)).append(" more");
    return b.toString();
  }
}
