package dev.flotilla.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The plan's formats on a generated fleet of 3,000 sites: 100 datacenter sites in the canary wave,
 * 2,900 edge sites in the rest. 2,400 edge sites share one byte-identical diff, 100 more share a
 * diff that differs only by each site's own name, 5 have a change of their own (one of them a
 * 500-line diff) and the rest (495) do not change.
 */
class PlanForThousandsOfSitesTest {
  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);
  static final String IMAGE_DIFF = "--- Deployment/web/web\n+++ Deployment/web/web\n@@ -3,1 +3,1 @@\n-        image: web:1.0\n+        image: web:2.0\n";

  static String edge(int i) {
    return String.format("edge-%05d", i);
  }

  static Plan fleetPlan() {
    List<String> dcs = IntStream.rangeClosed(1, 100).mapToObj(i -> String.format("dc-%03d", i)).toList();
    List<String> edges = IntStream.rangeClosed(1, 2_900).mapToObj(PlanForThousandsOfSitesTest::edge).toList();
    List<SiteChange> changes = new ArrayList<>();
    for (int i = 1; i <= 2_400; i++) changes.add(changed(edge(i), IMAGE_DIFF));
    for (int i = 2_401; i <= 2_500; i++) {
      changes.add(changed(edge(i), "--- ConfigMap/web/web\n+++ ConfigMap/web/web\n@@ -1,1 +1,1 @@\n-  host: " + edge(i)
          + ".old.example\n+  host: " + edge(i) + ".example\n"));
    }
    for (int i = 2_501; i <= 2_504; i++) changes.add(changed(edge(i), IMAGE_DIFF.replace("2.0", "2.0-" + i)));
    StringBuilder longDiff = new StringBuilder("--- ConfigMap/web/big\n+++ ConfigMap/web/big\n@@ -1,0 +1,497 @@\n");
    for (int i = 0; i < 497; i++) longDiff.append("+  line").append(i).append(": x\n");
    changes.add(new SiteChange(edge(2_505), List.of("Service/web/extra"), List.of("ConfigMap/web/big"), List.of(),
        List.of(new ObjectDiff("ConfigMap/web/big", longDiff.toString()))));
    Set<String> changing = new HashSet<>();
    changes.forEach(c -> changing.add(c.site()));
    List<WaveSites> waves = List.of(
        new WaveSites("canary", dcs, changing, List.of(new TierCount("datacenter", 100, 0))),
        new WaveSites("rest", edges, changing, List.of(new TierCount("edge", 2_900, 2_505))));
    return new Plan(A, B, List.of(new AppPlan("web", "default", waves, changes)));
  }

  static SiteChange changed(String site, String diff) {
    String id = diff.substring(4, diff.indexOf('\n'));
    return new SiteChange(site, List.of(), List.of(id), List.of(), List.of(new ObjectDiff(id, diff)));
  }

  @Test
  void summaryCountsSitesAndChangesPerWaveAndTierBeforeAnyDetail() {
    String md = PlanFormat.MARKDOWN.write(fleetPlan());

    assertThat(md).contains("| `web` | canary | datacenter | 100 sites, 0 change |\n| `web` | rest | edge | 2,900 sites, 2,505 change |\n");
    assertThat(md.indexOf("| `web` | rest | edge |")).isLessThan(md.indexOf("<details>"));
    assertThat(md).contains("#### App `web` — policy `default`: 2,505 sites change, in 7 different ways");
  }

  @Test
  void byteIdenticalChangesAreShownOnceNamingTheirCountAndABoundedListOfSites() {
    String md = PlanFormat.MARKDOWN.write(fleetPlan());

    assertThat(md).contains("**The same change at 2,400 sites**: `edge-00001`, `edge-00002`, `edge-00003`, `edge-00004`, `edge-00005`, "
        + "`edge-00006`, `edge-00007`, `edge-00008`, `edge-00009`, `edge-00010`, … and 2,390 more\n");
    assertThat(md).doesNotContain("`edge-00011`");
    assertThat(count(md, "image: web:2.0\n")).as("the shared diff is written once").isEqualTo(1);
  }

  @Test
  void changesThatDifferOnlyByTheSitesOwnNameAreOneGroupWithAPlaceholder() {
    List<ChangeGroup> groups = ChangeGroups.of(fleetPlan().apps().get(0).sites());

    assertThat(groups).extracting(g -> g.sites().size()).containsExactly(2_400, 100, 1, 1, 1, 1, 1);
    ChangeGroup byName = groups.get(1);
    assertThat(byName.perSiteName()).isTrue();
    assertThat(byName.sites()).startsWith(edge(2_401)).endsWith(edge(2_500));
    assertThat(byName.change().diffs().get(0).unifiedDiff()).contains("+  host: <site>.example").doesNotContain("edge-0");
    assertThat(groups.get(0).perSiteName()).isFalse();
    assertThat(groups.get(0).contextVaries()).isFalse();
  }

  @Test
  void changesThatAddAndRemoveTheSameLinesAreOneGroupWhateverTheLinesAroundThem() {
    List<SiteChange> changes = List.of(
        changed("pop-1", "--- D/t/t\n+++ D/t/t\n@@ -28,3 +28,3 @@\n   value: \"1\"\n-  image: t:1.0.0\n+  image: t:1.0.1\n"),
        changed("pop-2", "--- D/t/t\n+++ D/t/t\n@@ -29,3 +29,3 @@\n   value: \"2\"\n-  image: t:1.0.0\n+  image: t:1.0.1\n"),
        changed("pop-3", "--- D/t/t\n+++ D/t/t\n@@ -28,3 +28,3 @@\n   value: \"3\"\n-  image: t:1.0.0\n+  image: t:1.0.2\n"));

    List<ChangeGroup> groups = ChangeGroups.of(changes);

    assertThat(groups).extracting(ChangeGroup::sites).containsExactly(List.of("pop-1", "pop-2"), List.of("pop-3"));
    assertThat(groups.get(0).contextVaries()).isTrue();
    assertThat(groups.get(0).change().diffs().get(0).unifiedDiff()).contains("value: \"1\"");
    assertThat(MarkdownPlan.group(new Plan(A, B, List.of()), groups.get(0)))
        .contains("The lines around the change differ from site to site; these are <code>pop-1</code>'s.");
  }

  @Test
  void aSitesNameIsReplacedOnlyWhereItIsNotPartOfALongerName() {
    assertThat(ChangeGroups.replaceName("edge-1 edge-10 xedge-1 edge-1.example (edge-1)", "edge-1"))
        .isEqualTo("<site> edge-10 xedge-1 <site>.example (<site>)");
  }

  @Test
  void everyChangeIsFoldedInDetails() {
    String md = PlanFormat.MARKDOWN.write(fleetPlan());

    assertThat(count(md, "<details><summary>")).isEqualTo(7);
    assertThat(count(md, "</details>")).isEqualTo(7);
    assertThat(md).contains("<details><summary><code>edge-02505</code>: 1 added, 1 changed, 0 removed</summary>");
    assertThat(md).contains("<details><summary>0 added, 1 changed, 0 removed at each of them</summary>");
  }

  @Test
  void aLongDiffIsCutWithTheCommandThatPrintsItAll() {
    String md = PlanFormat.MARKDOWN.write(fleetPlan());

    assertThat(md).contains("+  line56: x\n```\n\n… 440 more lines cut; run "
        + "`flotilla plan --repo <fleet repo> --from aaaaaaaaaaaa --to bbbbbbbbbbbb --site edge-02505` for all\n");
    assertThat(md).doesNotContain("line57:");
    assertThat(PlanFormat.TEXT.write(fleetPlan().onlySite(edge(2_505)))).contains("+  line496: x").doesNotContain("more lines cut");
  }

  @Test
  void markdownStaysUnderTheBoundAndIsCutCleanlyWhenEverySiteDiffers() {
    Plan plan = fleetPlan();
    List<SiteChange> allDifferent = plan.apps().get(0).sites().stream()
        .map(c -> changed(c.site(), IMAGE_DIFF.replace("2.0", "2.0-" + c.site().hashCode()))).toList();
    AppPlan app = plan.apps().get(0);
    Plan worst = new Plan(A, B, List.of(new AppPlan(app.app(), app.policy(), app.waves(), allDifferent)));

    String md = PlanFormat.MARKDOWN.write(worst);

    assertThat(md.length()).isLessThanOrEqualTo(MarkdownPlan.DEFAULT_LIMIT).isGreaterThan(MarkdownPlan.DEFAULT_LIMIT - 2_000);
    assertThat(md).contains("| `web` | rest | edge | 2,900 sites, 2,505 change |");
    assertThat(count(md, "<details>")).isEqualTo(count(md, "</details>"));
    assertThat(count(md, "```") % 2).as("no code block left open").isZero();
    int shown = count(md, "<details>");
    assertThat(md).endsWith("characters: " + String.format("%,d", 2_505 - shown) + " changes (" + String.format("%,d", 2_505 - shown)
        + " sites) not shown. `flotilla plan --repo <fleet repo> --from aaaaaaaaaaaa --to bbbbbbbbbbbb` prints every change "
        + "(`--format json`: every site).\n");
  }

  @Test
  void aSmallerBoundIsKept() {
    assertThat(MarkdownPlan.write(fleetPlan(), 10_000)).as("the whole plan").doesNotContain("Cut here").hasSizeGreaterThan(3_000);

    String md = MarkdownPlan.write(fleetPlan(), 3_000);

    assertThat(md.length()).isLessThanOrEqualTo(3_000);
    assertThat(md).contains("**Cut here** to keep this under 3,000 characters");
  }

  @Test
  void jsonKeepsEverySiteAndAddsTheGroups() throws Exception {
    JsonNode app = new ObjectMapper().readTree(PlanFormat.JSON.write(fleetPlan())).get("apps").get(0);

    assertThat(app.get("sites")).hasSize(2_505);
    assertThat(app.get("waves").get(1).get("sites")).hasSize(2_900);
    JsonNode groups = app.get("groups");
    assertThat(groups).hasSize(7);
    assertThat(groups.get(0).get("sites")).hasSize(2_400);
    assertThat(groups.get(0).get("changed").get(0).asText()).isEqualTo("Deployment/web/web");
    assertThat(groups.get(0).get("diffs").get(0).get("diff").asText()).isEqualTo(IMAGE_DIFF);
    assertThat(groups.get(1).get("perSiteName").asBoolean()).isTrue();
    int grouped = 0;
    for (JsonNode g : groups) grouped += g.get("sites").size();
    assertThat(grouped).isEqualTo(2_505);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) n++;
    return n;
  }
}
