package dev.flotilla.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** Writes a {@link Plan} for people (text, markdown for a pull request comment) and machines (json). */
public enum PlanFormat {
  TEXT,
  MARKDOWN,
  JSON;

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static PlanFormat parse(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }

  public String write(Plan plan) {
    return switch (this) {
      case TEXT -> text(plan);
      case MARKDOWN -> markdown(plan);
      case JSON -> json(plan);
    };
  }

  private static String text(Plan plan) {
    StringBuilder b = new StringBuilder();
    b.append("Plan ").append(shortId(plan.from())).append(" → ").append(shortId(plan.to())).append('\n');
    if (plan.isEmpty()) return b.append("No app changes its rendered output at any site.\n").toString();
    for (AppPlan app : plan.apps()) {
      b.append('\n').append("app ").append(app.app()).append(" (policy ").append(app.policy()).append("): ")
          .append(app.sites().size()).append(" site(s) change\n");
      for (WaveSites wave : app.waves()) {
        b.append("  wave ").append(wave.name()).append(": ")
            .append(wave.sites().isEmpty() ? "no site of this app" : wave.counts()).append('\n');
        if (!wave.changed().isEmpty()) b.append("    changes:   ").append(String.join(", ", wave.changed())).append('\n');
        if (!wave.unchanged().isEmpty()) b.append("    unchanged: ").append(String.join(", ", wave.unchanged())).append('\n');
      }
      for (SiteChange site : app.sites()) {
        b.append("  site ").append(site.site()).append('\n');
        site.added().forEach(id -> b.append("    + ").append(id).append('\n'));
        site.changed().forEach(id -> b.append("    ~ ").append(id).append('\n'));
        site.removed().forEach(id -> b.append("    - ").append(id).append('\n'));
        for (ObjectDiff d : site.diffs()) {
          d.unifiedDiff().lines().forEach(l -> b.append("      ").append(l).append('\n'));
        }
      }
    }
    return b.toString();
  }

  private static String markdown(Plan plan) {
    StringBuilder b = new StringBuilder();
    b.append("### Flotilla plan `").append(shortId(plan.from())).append("` → `").append(shortId(plan.to())).append("`\n\n");
    if (plan.isEmpty()) return b.append("No app changes its rendered output at any site.\n").toString();
    for (AppPlan app : plan.apps()) {
      b.append("#### App `").append(app.app()).append("` — policy `").append(app.policy()).append("`, ")
          .append(app.sites().size()).append(" site(s) change\n\n");
      b.append("| wave | sites | change | do not change |\n|---|---|---|---|\n");
      for (WaveSites wave : app.waves()) {
        b.append("| ").append(wave.name()).append(" | ").append(wave.counts()).append(" | ")
            .append(String.join(", ", wave.changed())).append(" | ").append(String.join(", ", wave.unchanged()))
            .append(" |\n");
      }
      b.append('\n');
      for (SiteChange site : app.sites()) {
        b.append("<details><summary><code>").append(site.site()).append("</code>: ")
            .append(site.added().size()).append(" added, ").append(site.changed().size()).append(" changed, ")
            .append(site.removed().size()).append(" removed</summary>\n\n");
        site.added().forEach(id -> b.append("- added `").append(id).append("`\n"));
        site.changed().forEach(id -> b.append("- changed `").append(id).append("`\n"));
        site.removed().forEach(id -> b.append("- removed `").append(id).append("`\n"));
        for (ObjectDiff d : site.diffs()) {
          b.append("\n```diff\n").append(d.unifiedDiff()).append("```\n");
        }
        b.append("\n</details>\n\n");
      }
    }
    return b.toString();
  }

  private static String json(Plan plan) {
    ObjectNode root = JSON_MAPPER.createObjectNode();
    root.put("from", plan.from());
    root.put("to", plan.to());
    ArrayNode apps = root.putArray("apps");
    for (AppPlan app : plan.apps()) {
      ObjectNode a = apps.addObject();
      a.put("app", app.app());
      a.put("policy", app.policy());
      ArrayNode waves = a.putArray("waves");
      for (WaveSites w : app.waves()) {
        ObjectNode wave = waves.addObject();
        wave.put("name", w.name());
        wave.put("changing", w.changed().size());
        ArrayNode sites = wave.putArray("sites");
        for (String site : w.sites()) sites.addObject().put("site", site).put("changes", w.changes(site));
      }
      ArrayNode sites = a.putArray("sites");
      for (SiteChange s : app.sites()) {
        ObjectNode site = sites.addObject();
        site.put("site", s.site());
        strings(site.putArray("added"), s.added());
        strings(site.putArray("changed"), s.changed());
        strings(site.putArray("removed"), s.removed());
      }
    }
    try {
      return JSON_MAPPER.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serializes", e);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  static String shortId(String revision) {
    return revision.length() == 40 ? revision.substring(0, 12) : revision;
  }
}
