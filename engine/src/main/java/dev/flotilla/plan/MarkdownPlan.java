package dev.flotilla.plan;

import java.util.List;

/**
 * Writes a {@link Plan} as markdown for a pull request comment, readable for thousands of sites and
 * never longer than a bound: a summary table first (per app, wave and tier: "N sites, M change"),
 * then per app the changes grouped ({@link ChangeGroups}), each folded in {@code <details>}, with
 * long diffs cut to a few lines. What does not fit under the bound is left out whole, block by
 * block, and a closing note says how much and which command prints it all.
 */
public final class MarkdownPlan {
  /** GitHub refuses a comment body longer than this many characters. */
  public static final int GITHUB_COMMENT_LIMIT = 65_536;
  /**
   * The bound of {@code flotilla plan --format markdown}: a comment's limit less room for what a
   * caller puts around the plan (a marker, a heading, as {@code ci/flotilla-check.sh} does).
   */
  public static final int DEFAULT_LIMIT = 60_000;
  /** Site names listed before "… and N more". */
  static final int NAMES_SHOWN = 10;
  /** Object ids listed per change before "… and N more". */
  static final int IDS_SHOWN = 30;
  /** Diff lines shown per change (all its objects together) before the rest is cut. */
  static final int DIFF_LINES_SHOWN = 60;
  /** A diff line longer than this is cut (a one-line JSON value can be megabytes). */
  static final int LINE_CHARS = 300;
  /** Room kept for the closing note when blocks are left out. */
  private static final int NOTE_ROOM = 600;

  private MarkdownPlan() {}

  /** The plan in at most {@code limit} characters (at least 1,000). */
  public static String write(Plan plan, int limit) {
    if (limit < 1_000) throw new IllegalArgumentException("a markdown plan needs at least 1,000 characters, got " + limit);
    Budget out = new Budget(limit - NOTE_ROOM);
    out.add("### Flotilla plan `" + PlanFormat.shortId(plan.from()) + "` → `" + PlanFormat.shortId(plan.to()) + "`\n\n");
    if (plan.isEmpty()) {
      out.add("No app changes its rendered output at any site.\n");
      return out.text();
    }
    summary(plan, out);
    for (AppPlan app : plan.apps()) appSection(plan, app, out);
    return out.text() + cutNote(plan, out);
  }

  private static void summary(Plan plan, Budget out) {
    out.add("| app | wave | tier | sites |\n|---|---|---|---|\n");
    for (AppPlan app : plan.apps()) {
      for (WaveSites wave : app.waves()) {
        if (wave.sites().isEmpty()) {
          out.row("| `" + app.app() + "` | " + wave.name() + " | | no site of this app |\n");
        } else if (wave.tiers().isEmpty()) {
          out.row("| `" + app.app() + "` | " + wave.name() + " | | " + wave.counts() + " |\n");
        }
        for (TierCount tier : wave.tiers()) {
          out.row("| `" + app.app() + "` | " + wave.name() + " | " + tier.tier() + " | " + tier.counts() + " |\n");
        }
      }
    }
    out.add("\n");
  }

  private static void appSection(Plan plan, AppPlan app, Budget out) {
    List<ChangeGroup> groups = ChangeGroups.of(app.sites());
    out.add("#### App `" + app.app() + "` — policy `" + app.policy() + "`: " + PlanWords.sites(app.sites().size()) + " change"
        + (app.sites().size() == 1 ? "" : groups.size() == 1 ? ", all in the same way" : ", in " + PlanWords.number(groups.size()) + " different ways") + "\n\n");
    for (WaveSites wave : app.waves()) {
      if (wave.sites().isEmpty()) continue;
      StringBuilder line = new StringBuilder("- wave **").append(wave.name()).append("** (").append(wave.counts()).append(')');
      List<String> changed = wave.changed();
      List<String> unchanged = wave.unchanged();
      if (!changed.isEmpty()) line.append(": changes at ").append(PlanWords.bounded(changed, NAMES_SHOWN, MarkdownPlan::code));
      if (!unchanged.isEmpty()) line.append(changed.isEmpty() ? ": " : "; ").append("not at ")
          .append(PlanWords.bounded(unchanged, NAMES_SHOWN, MarkdownPlan::code));
      wave.window().filter(w -> !w.zones().isEmpty()).ifPresent(w -> line.append("; ").append(w.heading().replaceFirst("^window (\\S+)", "window `$1`"))
          .append(": ").append(zones(w)));
      out.row(line.append('\n').toString());
    }
    out.add("\n");
    for (ChangeGroup group : groups) {
      if (!out.add(group(plan, group))) out.leftOut(group.sites().size());
    }
  }

  /** A window's time zones, at most {@link #NAMES_SHOWN}, separated by semicolons (each one's text has commas of its own). */
  private static String zones(WaveWindow window) {
    List<String> zones = window.zones().stream().map(WaveWindow.ZoneOpening::describe).toList();
    String shown = String.join("; ", zones.subList(0, Math.min(NAMES_SHOWN, zones.size())));
    return zones.size() > NAMES_SHOWN ? shown + "; … and " + PlanWords.number(zones.size() - NAMES_SHOWN) + " more time zones" : shown;
  }

  static String group(Plan plan, ChangeGroup group) {
    SiteChange c = group.change();
    String counts = c.added().size() + " added, " + c.changed().size() + " changed, " + c.removed().size() + " removed";
    StringBuilder b = new StringBuilder();
    if (group.sites().size() == 1) {
      b.append("<details><summary><code>").append(group.sites().get(0)).append("</code>: ").append(counts).append("</summary>\n\n");
    } else {
      b.append("**The same change at ").append(PlanWords.sites(group.sites().size())).append("**: ")
          .append(PlanWords.bounded(group.sites(), NAMES_SHOWN, MarkdownPlan::code)).append("\n\n");
      b.append("<details><summary>").append(counts).append(" at each of them</summary>\n\n");
      if (group.perSiteName()) b.append("`").append(ChangeGroup.SITE).append("` stands for each site's own name.\n\n");
      if (group.contextVaries()) b.append("The lines around the change differ from site to site; these are <code>")
          .append(group.sites().get(0)).append("</code>'s.\n\n");
    }
    ids(b, "added", c.added());
    ids(b, "changed", c.changed());
    ids(b, "removed", c.removed());
    diffs(b, plan, group);
    return b.append("\n</details>\n\n").toString();
  }

  private static void ids(StringBuilder b, String verb, List<String> ids) {
    for (int i = 0; i < Math.min(IDS_SHOWN, ids.size()); i++) b.append("- ").append(verb).append(" `").append(ids.get(i)).append("`\n");
    if (ids.size() > IDS_SHOWN) b.append("- … and ").append(PlanWords.number(ids.size() - IDS_SHOWN)).append(" more ").append(verb).append('\n');
  }

  private static void diffs(StringBuilder b, Plan plan, ChangeGroup group) {
    if (group.change().diffs().isEmpty()) return;
    b.append("\n```diff\n");
    int shown = 0;
    int cut = 0;
    for (ObjectDiff d : group.change().diffs()) {
      for (String line : (Iterable<String>) d.unifiedDiff().lines()::iterator) {
        if (shown < DIFF_LINES_SHOWN) {
          b.append(line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) + " …" : line).append('\n');
          shown++;
        } else {
          cut++;
        }
      }
    }
    b.append("```\n");
    if (cut > 0) {
      b.append("\n… ").append(PlanWords.number(cut)).append(cut == 1 ? " more line" : " more lines").append(" cut; run `")
          .append(siteCommand(plan, group.sites().get(0))).append("` for all\n");
    }
  }

  /** The command that prints one site's whole change. */
  static String siteCommand(Plan plan, String site) {
    return "flotilla plan --repo <fleet repo> --from " + PlanFormat.shortId(plan.from()) + " --to " + PlanFormat.shortId(plan.to())
        + " --site " + site;
  }

  private static String cutNote(Plan plan, Budget out) {
    if (!out.full()) return "";
    StringBuilder b = new StringBuilder("\n---\n**Cut here** to keep this under ").append(PlanWords.number(out.limit() + NOTE_ROOM))
        .append(" characters: ");
    if (out.groupsLeftOut() > 0) {
      b.append(PlanWords.number(out.groupsLeftOut())).append(out.groupsLeftOut() == 1 ? " change" : " changes").append(" (")
          .append(PlanWords.sites(out.sitesLeftOut())).append(") not shown");
    } else {
      b.append("the rest not shown");
    }
    if (out.rowsLeftOut() > 0) b.append(", and ").append(PlanWords.number(out.rowsLeftOut())).append(" lines of the summary");
    return b.append(". `flotilla plan --repo <fleet repo> --from ").append(PlanFormat.shortId(plan.from())).append(" --to ")
        .append(PlanFormat.shortId(plan.to())).append("` prints every change (`--format json`: every site).\n").toString();
  }

  private static String code(String name) {
    return "`" + name + "`";
  }

  /**
   * The markdown written so far and what is left. Blocks go in whole or not at all, and once one
   * is left out every later one is too, so what is shown is a clean prefix of the plan.
   */
  private static final class Budget {
    private final StringBuilder text = new StringBuilder();
    private final int limit;
    private boolean full;
    private int groupsLeftOut;
    private int sitesLeftOut;
    private int rowsLeftOut;

    Budget(int limit) {
      this.limit = limit;
    }

    /** Appends the block when it fits (and nothing was left out before); says whether it did. */
    boolean add(String block) {
      if (full || text.length() + block.length() > limit) {
        full = true;
        return false;
      }
      text.append(block);
      return true;
    }

    /** A summary line: counted when left out. */
    void row(String line) {
      if (!add(line)) rowsLeftOut++;
    }

    void leftOut(int sites) {
      groupsLeftOut++;
      sitesLeftOut += sites;
    }

    String text() {
      return text.toString();
    }

    boolean full() {
      return full;
    }

    int limit() {
      return limit;
    }

    int groupsLeftOut() {
      return groupsLeftOut;
    }

    int sitesLeftOut() {
      return sitesLeftOut;
    }

    int rowsLeftOut() {
      return rowsLeftOut;
    }
  }
}
