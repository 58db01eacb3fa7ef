package dev.flotilla.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link Plan} for people (text, whole; markdown for a pull request comment, bounded by
 * {@link MarkdownPlan#DEFAULT_LIMIT}) and machines (json, every site, plus the same changes grouped).
 */
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
      case MARKDOWN -> MarkdownPlan.write(plan, MarkdownPlan.DEFAULT_LIMIT);
      case JSON -> json(plan);
    };
  }

  private static String text(Plan plan) {
    StringBuilder b = new StringBuilder();
    b.append("Plan ").append(shortId(plan.from())).append(" → ").append(shortId(plan.to())).append('\n');
    if (plan.isEmpty()) return b.append("No app changes its rendered output at any site.\n").toString();
    for (AppPlan app : plan.apps()) {
      List<ChangeGroup> groups = ChangeGroups.of(app.sites());
      b.append('\n').append("app ").append(app.app()).append(" (policy ").append(app.policy()).append("): ")
          .append(PlanWords.number(app.sites().size())).append(" site(s) change")
          .append(app.sites().size() == 1 ? "" : groups.size() == 1 ? ", all in the same way" : ", in " + PlanWords.number(groups.size()) + " different ways").append('\n');
      for (WaveSites wave : app.waves()) {
        b.append("  wave ").append(wave.name()).append(": ")
            .append(wave.sites().isEmpty() ? "no site of this app" : wave.counts()).append('\n');
        for (TierCount tier : wave.tiers()) b.append("    tier ").append(tier.tier()).append(": ").append(tier.counts()).append('\n');
        wave.window().ifPresent(w -> {
          b.append("    ").append(w.heading()).append(w.zones().isEmpty() ? ": no changing site\n" : ":\n");
          w.zones().forEach(z -> b.append("      ").append(z.describe()).append('\n'));
        });
        if (!wave.changed().isEmpty()) b.append("    changes:   ").append(String.join(", ", wave.changed())).append('\n');
        if (!wave.unchanged().isEmpty()) b.append("    unchanged: ").append(String.join(", ", wave.unchanged())).append('\n');
      }
      for (ChangeGroup group : groups) textGroup(b, group);
    }
    return b.toString();
  }

  private static void textGroup(StringBuilder b, ChangeGroup group) {
    SiteChange site = group.change();
    if (group.sites().size() == 1) {
      b.append("  site ").append(group.sites().get(0)).append('\n');
    } else {
      b.append("  the same change at ").append(PlanWords.sites(group.sites().size())).append(": ")
          .append(String.join(", ", group.sites())).append('\n');
      if (group.perSiteName()) b.append("    (").append(ChangeGroup.SITE).append(" stands for each site's own name)\n");
      if (group.contextVaries()) b.append("    (the lines around the change differ from site to site; these are ").append(group.sites().get(0)).append("'s)\n");
    }
    site.added().forEach(id -> b.append("    + ").append(id).append('\n'));
    site.changed().forEach(id -> b.append("    ~ ").append(id).append('\n'));
    site.removed().forEach(id -> b.append("    - ").append(id).append('\n'));
    for (ObjectDiff d : site.diffs()) {
      d.unifiedDiff().lines().forEach(l -> b.append("      ").append(l).append('\n'));
    }
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
        w.window().ifPresent(window -> {
          ObjectNode o = wave.putObject("window").put("name", window.name()).put("cron", window.cron())
              .put("duration", dev.flotilla.fleet.Durations.format(window.duration()));
          ArrayNode zones = o.putArray("zones");
          for (WaveWindow.ZoneOpening z : window.zones()) {
            ObjectNode zone = zones.addObject().put("zone", z.zone().getId()).put("sites", z.sites()).put("openNow", z.openNow());
            if (z.next().isPresent()) zone.put("nextOpening", z.next().get().toString());
            else zone.putNull("nextOpening");
          }
        });
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
      ArrayNode groups = a.putArray("groups");
      for (ChangeGroup g : ChangeGroups.of(app.sites())) {
        ObjectNode group = groups.addObject();
        strings(group.putArray("sites"), g.sites());
        group.put("perSiteName", g.perSiteName());
        group.put("contextVaries", g.contextVaries());
        strings(group.putArray("added"), g.change().added());
        strings(group.putArray("changed"), g.change().changed());
        strings(group.putArray("removed"), g.change().removed());
        ArrayNode diffs = group.putArray("diffs");
        for (ObjectDiff d : g.change().diffs()) diffs.addObject().put("id", d.id()).put("diff", d.unifiedDiff());
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
