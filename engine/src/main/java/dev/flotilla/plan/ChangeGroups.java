package dev.flotilla.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups an app's site changes that are the same, so a plan of thousands of sites says "the same
 * change at 2,400 sites" once. Two sites make the same change when they add, change and remove the
 * same object ids and their diffs add and remove the same lines, after each site's own name is
 * replaced by {@link ChangeGroup#SITE} (the per-site stamp writes the name into labels and
 * substituted values). A diff's context lines (and its hunk headers' line numbers) are left out of
 * the comparison: they are lines that do not change, and they often hold a per-site value (a store
 * id next to the image line), which would otherwise make every site's change look different.
 * Nothing else is normalized, so a group never hides a difference in what is added or removed.
 */
public final class ChangeGroups {
  private ChangeGroups() {}

  /** The groups, largest first, then by first site name; sites keep their order within a group. */
  public static List<ChangeGroup> of(List<SiteChange> changes) {
    record Key(List<String> added, List<String> changed, List<String> removed, List<ObjectDiff> diffs) {}
    final class Members {
      final SiteChange first;
      final SiteChange firstNormalized;
      final List<String> sites = new ArrayList<>();
      boolean contextVaries;

      Members(SiteChange first, SiteChange firstNormalized) {
        this.first = first;
        this.firstNormalized = firstNormalized;
      }
    }
    Map<Key, Members> byKey = new LinkedHashMap<>();
    for (SiteChange c : changes) {
      SiteChange n = normalized(c);
      Key key = new Key(n.added(), n.changed(), n.removed(), n.diffs().stream().map(d -> new ObjectDiff(d.id(), changedLines(d.unifiedDiff()))).toList());
      Members m = byKey.computeIfAbsent(key, k -> new Members(c, n));
      m.sites.add(c.site());
      if (!m.contextVaries && !n.diffs().equals(m.firstNormalized.diffs())) m.contextVaries = true;
    }
    List<ChangeGroup> groups = new ArrayList<>();
    for (Members m : byKey.values()) {
      if (m.sites.size() == 1) {
        groups.add(new ChangeGroup(m.sites, m.first, false, false));
      } else {
        groups.add(new ChangeGroup(m.sites, m.firstNormalized, !m.firstNormalized.equals(m.first.withSite(ChangeGroup.SITE)), m.contextVaries));
      }
    }
    groups.sort(Comparator.comparingInt((ChangeGroup g) -> -g.sites().size()).thenComparing(g -> g.sites().get(0)));
    return groups;
  }

  /** The lines a unified diff adds and removes (its file headers included), without context or hunk headers. */
  static String changedLines(String unifiedDiff) {
    StringBuilder b = new StringBuilder();
    unifiedDiff.lines().filter(l -> l.startsWith("+") || l.startsWith("-")).forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }

  /** The change with the site's own name, where it stands as a whole word, replaced by {@link ChangeGroup#SITE}. */
  static SiteChange normalized(SiteChange c) {
    String site = c.site();
    return new SiteChange(ChangeGroup.SITE,
        c.added().stream().map(s -> replaceName(s, site)).toList(),
        c.changed().stream().map(s -> replaceName(s, site)).toList(),
        c.removed().stream().map(s -> replaceName(s, site)).toList(),
        c.diffs().stream().map(d -> new ObjectDiff(replaceName(d.id(), site), replaceName(d.unifiedDiff(), site))).toList());
  }

  /**
   * Replaces {@code name} where it is not part of a longer name (letters, digits, '-', '_' on
   * neither side), so site {@code edge-1} leaves {@code edge-10} alone.
   */
  static String replaceName(String text, String name) {
    int at = text.indexOf(name);
    if (at < 0) return text;
    StringBuilder b = new StringBuilder(text.length());
    int from = 0;
    while (at >= 0) {
      int end = at + name.length();
      boolean whole = !nameChar(text, at - 1) && !nameChar(text, end);
      if (whole) {
        b.append(text, from, at).append(ChangeGroup.SITE);
        from = end;
      }
      at = text.indexOf(name, whole ? end : at + 1);
    }
    return b.append(text, from, text.length()).toString();
  }

  private static boolean nameChar(String text, int i) {
    if (i < 0 || i >= text.length()) return false;
    char c = text.charAt(i);
    return Character.isLetterOrDigit(c) || c == '-' || c == '_';
  }
}
