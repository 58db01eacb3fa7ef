package dev.flotilla.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.testing.FleetFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);
  private static final java.time.Instant AT = java.time.Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;
  FleetModel model;

  @BeforeEach
  void fleet() throws Exception {
    model = FleetLoader.load(FleetFiles.minimal(dir).root());
  }

  private static String cm(String rev, String greeting) {
    return "kind: ConfigMap\nmetadata:\n  annotations:\n    flotilla.dev/revision: " + rev + "\n  name: web\ndata:\n  greeting: "
        + greeting + "\n";
  }

  @Test
  void revisionStampAloneIsNoChange() {
    DesiredObjects from = new DesiredObjects(A).put("web", "edge-1", "ConfigMap/web/web", cm(A, "hi"));
    DesiredObjects to = new DesiredObjects(B).put("web", "edge-1", "ConfigMap/web/web", cm(B, "hi"));

    assertThat(Planner.plan(model, from, model, to, AT).isEmpty()).isTrue();
  }

  @Test
  void reportsAddedChangedAndRemovedObjectsPerSite() {
    DesiredObjects from = new DesiredObjects(A)
        .put("web", "edge-1", "ConfigMap/web/web", cm(A, "hi"))
        .put("web", "edge-1", "Secret/web/old", "kind: Secret\n")
        .put("web", "edge-2", "ConfigMap/web/web", cm(A, "hi"));
    DesiredObjects to = new DesiredObjects(B)
        .put("web", "edge-1", "ConfigMap/web/web", cm(B, "hello"))
        .put("web", "edge-1", "Service/web/web", "kind: Service\n")
        .put("web", "edge-2", "ConfigMap/web/web", cm(B, "hi"));

    Plan plan = Planner.plan(model, from, model, to, AT);

    assertThat(plan.apps()).singleElement().satisfies(app -> {
      assertThat(app.app()).isEqualTo("web");
      assertThat(app.policy()).isEqualTo("default");
      assertThat(app.sites()).singleElement().satisfies(site -> {
        assertThat(site.site()).isEqualTo("edge-1");
        assertThat(site.added()).containsExactly("Service/web/web");
        assertThat(site.changed()).containsExactly("ConfigMap/web/web");
        assertThat(site.removed()).containsExactly("Secret/web/old");
        assertThat(site.diffs().get(0).unifiedDiff()).contains("-  greeting: hi", "+  greeting: hello", "@@");
      });
    });
  }

  @Test
  void listsEveryWaveOfThePolicyWithItsSites() {
    DesiredObjects from = new DesiredObjects(A).put("web", "edge-1", "ConfigMap/web/web", cm(A, "hi"));
    DesiredObjects to = new DesiredObjects(B).put("web", "edge-1", "ConfigMap/web/web", cm(B, "yo"));

    Plan plan = Planner.plan(model, from, model, to, AT);

    assertThat(plan.apps().get(0).waves()).containsExactly(
        new WaveSites("canary", java.util.List.of("hub-1"), java.util.Set.of("edge-1"), java.util.List.of(new TierCount("hub", 1, 0))),
        new WaveSites("rest", java.util.List.of("edge-1", "edge-2"), java.util.Set.of("edge-1"), java.util.List.of(new TierCount("edge", 2, 1)),
            java.util.Optional.of(new WaveWindow("night", "0 0 2 ? * *", java.time.Duration.ofHours(3), java.util.List.of(
                new WaveWindow.ZoneOpening(java.time.ZoneId.of("America/New_York"), 1, false,
                    java.util.Optional.of(java.time.Instant.parse("2026-12-01T07:00:00Z"))))))));
  }

  @Test
  void eachWaveSaysWhichOfItsSitesChangeAndCountsThem() {
    DesiredObjects from = new DesiredObjects(A).put("web", "edge-1", "ConfigMap/web/web", cm(A, "hi"))
        .put("web", "edge-2", "ConfigMap/web/web", cm(A, "hi"));
    DesiredObjects to = new DesiredObjects(B).put("web", "edge-1", "ConfigMap/web/web", cm(B, "yo"))
        .put("web", "edge-2", "ConfigMap/web/web", cm(B, "hi"));

    Plan plan = Planner.plan(model, from, model, to, AT);
    WaveSites rest = plan.apps().get(0).waves().get(1);

    assertThat(rest.changed()).containsExactly("edge-1");
    assertThat(rest.unchanged()).containsExactly("edge-2");
    assertThat(rest.counts()).isEqualTo("2 sites, 1 changes");
    assertThat(PlanFormat.TEXT.write(plan)).contains(
        "  wave rest: 2 sites, 1 changes\n    tier edge: 2 sites, 1 changes\n    window night (0 0 2 ? * *, 3h):\n"
            + "      opens 2026-12-01 02:00 America/New_York (07:00Z), 1 site\n    changes:   edge-1\n    unchanged: edge-2\n");
    assertThat(PlanFormat.MARKDOWN.write(plan)).contains("| `web` | rest | edge | 2 sites, 1 changes |",
        "- wave **rest** (2 sites, 1 changes): changes at `edge-1`; not at `edge-2`; window `night` (0 0 2 ? * *, 3h): "
            + "opens 2026-12-01 02:00 America/New_York (07:00Z), 1 site\n");
  }

  @Test
  void aSiteNewToTheAppGetsEveryObjectAdded() {
    DesiredObjects from = new DesiredObjects(A);
    DesiredObjects to = new DesiredObjects(B).put("web", "edge-2", "ConfigMap/web/web", cm(B, "hi"));

    assertThat(Planner.plan(model, from, model, to, AT).apps().get(0).sites().get(0).added()).containsExactly("ConfigMap/web/web");
  }

  @Test
  void jsonHasTheDocumentedShape() throws Exception {
    DesiredObjects from = new DesiredObjects(A).put("web", "edge-1", "ConfigMap/web/web", cm(A, "hi"));
    DesiredObjects to = new DesiredObjects(B).put("web", "edge-1", "ConfigMap/web/web", cm(B, "yo"));

    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(PlanFormat.JSON.write(Planner.plan(model, from, model, to, AT)));

    assertThat(json.get("from").asText()).isEqualTo(A);
    assertThat(json.get("to").asText()).isEqualTo(B);
    var app = json.get("apps").get(0);
    assertThat(app.get("app").asText()).isEqualTo("web");
    assertThat(app.get("policy").asText()).isEqualTo("default");
    assertThat(app.get("waves").get(1).get("name").asText()).isEqualTo("rest");
    assertThat(app.get("waves").get(1).get("changing").asInt()).isEqualTo(1);
    assertThat(app.get("waves").get(1).get("sites").get(0).get("site").asText()).isEqualTo("edge-1");
    assertThat(app.get("waves").get(1).get("sites").get(0).get("changes").asBoolean()).isTrue();
    assertThat(app.get("waves").get(1).get("sites").get(1).get("changes").asBoolean()).isFalse();
    assertThat(app.get("sites").get(0).get("site").asText()).isEqualTo("edge-1");
    assertThat(app.get("sites").get(0).get("changed").get(0).asText()).isEqualTo("ConfigMap/web/web");
    assertThat(app.get("sites").get(0).get("added")).isEmpty();
  }

  @Test
  void textAndMarkdownShowWavesSitesAndDiffs() {
    DesiredObjects from = new DesiredObjects(A).put("web", "edge-1", "ConfigMap/web/web", cm(A, "hi"));
    DesiredObjects to = new DesiredObjects(B).put("web", "edge-1", "ConfigMap/web/web", cm(B, "yo"));
    Plan plan = Planner.plan(model, from, model, to, AT);

    assertThat(PlanFormat.TEXT.write(plan)).contains("wave canary: 1 site, 0 change\n    tier hub: 1 site, 0 change\n    unchanged: hub-1", "site edge-1", "~ ConfigMap/web/web", "+  greeting: yo");
    assertThat(PlanFormat.MARKDOWN.write(plan)).contains("| `web` | rest | edge | 2 sites, 1 changes |",
        "<details><summary><code>edge-1</code>: 0 added, 1 changed, 0 removed</summary>", "```diff", "+  greeting: yo");
  }

  @Test
  void emptyPlanSaysSo() {
    Plan plan = Planner.plan(model, new DesiredObjects(A), model, new DesiredObjects(B), AT);
    assertThat(PlanFormat.TEXT.write(plan)).contains("No app changes");
  }

  @Test
  void aWaveWithAWindowSaysWhenItNextOpensInEachTimeZoneOfItsChangingSites() throws Exception {
    DesiredObjects from = new DesiredObjects(A).put("web", "edge-1", "ConfigMap/web/web", cm(A, "hi"))
        .put("web", "edge-2", "ConfigMap/web/web", cm(A, "hi")).put("web", "hub-1", "ConfigMap/web/web", cm(A, "hi"));
    DesiredObjects to = new DesiredObjects(B).put("web", "edge-1", "ConfigMap/web/web", cm(B, "hello"))
        .put("web", "edge-2", "ConfigMap/web/web", cm(B, "hello")).put("web", "hub-1", "ConfigMap/web/web", cm(B, "hello"));

    Plan plan = Planner.plan(model, from, model, to, AT);

    AppPlan web = plan.apps().get(0);
    assertThat(web.waves().get(0).window()).as("canary has no window").isEmpty();
    WaveWindow night = web.waves().get(1).window().orElseThrow();
    assertThat(night.heading()).isEqualTo("window night (0 0 2 ? * *, 3h)");
    // 2026-12-01T00:00Z is 19:00 in New York (02:00 EST is 07:00Z) and 09:00 in Tokyo (the next 02:00 JST is 17:00Z).
    assertThat(night.zones()).extracting(z -> z.describe()).containsExactly(
        "opens 2026-12-01 02:00 America/New_York (07:00Z), 1 site",
        "opens 2026-12-02 02:00 Asia/Tokyo (17:00Z), 1 site");
    assertThat(PlanFormat.TEXT.write(plan)).contains("    window night (0 0 2 ? * *, 3h):\n      opens 2026-12-01 02:00 America/New_York");
    assertThat(MarkdownPlan.write(plan, 60_000)).contains("; window `night` (0 0 2 ? * *, 3h): opens 2026-12-01 02:00 America/New_York");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(PlanFormat.JSON.write(plan));
    var zone = json.at("/apps/0/waves/1/window/zones/1");
    assertThat(zone.get("zone").asText()).isEqualTo("Asia/Tokyo");
    assertThat(zone.get("nextOpening").asText()).isEqualTo("2026-12-01T17:00:00Z");
    assertThat(zone.get("openNow").asBoolean()).isFalse();

    Plan atNightInTokyo = Planner.plan(model, from, model, to, java.time.Instant.parse("2026-12-01T18:00:00Z"));
    assertThat(atNightInTokyo.apps().get(0).waves().get(1).window().orElseThrow().zones())
        .extracting(WaveWindow.ZoneOpening::describe).contains("open now in Asia/Tokyo, 1 site");
  }
}
