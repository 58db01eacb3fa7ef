package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.RepoRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as the README shows them, end to end: a real Git repository holding the example
 * fleet over several commits, the real kustomize, the CLI's own entry point.
 */
class CliIT {
  @TempDir static Path dir;
  static GitFixture git;
  static Path data;
  static String initial;
  static String release;
  static String broken;
  static String popOnly;

  /** What one CLI run printed and returned. */
  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void fleetHistory() throws IOException {
    git = GitFixture.init(dir.resolve("fleet"));
    data = dir.resolve("data");
    Path example = RepoRoot.find().resolve("fleet-repo-example");
    try (Stream<Path> files = Files.walk(example)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        git.write(example.relativize(f).toString(), Files.readString(f));
      }
    }
    initial = git.commit("the fleet as it runs");
    String statefulSet = Files.readString(example.resolve("apps/pos/base/statefulset.yaml"));
    git.write("apps/pos/base/statefulset.yaml", statefulSet.replace("pos-server:4.12.0", "pos-server:4.13.0"));
    release = git.commit("pos 4.13.0");
    String stores = Files.readString(example.resolve("sites/stores.yaml"));
    git.write("sites/stores.yaml", stores.replaceFirst("tier: pop", "tier: store"));
    broken = git.commit("a typo in a tier");
    git.write("sites/stores.yaml", stores);
    String pop = Files.readString(example.resolve("apps/pos/overlays/pop/kustomization.yaml"));
    git.write("apps/pos/overlays/pop/kustomization.yaml", pop.replace("cpu: 250m", "cpu: 300m"));
    popOnly = git.commit("more CPU for the stores' pos");
  }

  @AfterAll
  static void close() {
    git.close();
  }

  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", data.toString()));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(all.toArray(String[]::new));
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  String repo() {
    return git.workTree().toString();
  }

  @Test
  void validateAcceptsTheExampleFleet() {
    Run r = run("validate", "--repo", repo(), "--rev", release);

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("valid: fleet retail at " + release + ": 90 sites");
  }

  @Test
  void validateReportsABrokenRevisionWithFileLineAndExitTwo() {
    Run r = run("validate", "--repo", repo(), "--rev", broken);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).containsPattern("sites/stores\\.yaml:\\d+: spec\\.tier: no tier named 'store' in fleet\\.yaml");
  }

  @Test
  void validateWithRenderRunsKustomizeForEverySite() {
    Run r = run("validate", "--repo", repo(), "--rev", initial, "--render");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("120 desired states rendered");
  }

  @Test
  void validateReadsAFileUrlThroughTheGitMirror() {
    Run r = run("validate", "--repo", git.workTree().toUri().toString(), "--rev", release);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("valid: fleet retail at " + release);
  }

  @Test
  void planJsonNamesTheChangedAppItsWavesAndObjects() throws IOException {
    Run r = run("plan", "--repo", repo(), "--from", initial, "--to", release, "--format", "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode plan = new ObjectMapper().readTree(r.out());
    assertThat(plan.get("from").asText()).isEqualTo(initial);
    assertThat(plan.get("to").asText()).isEqualTo(release);
    assertThat(plan.get("apps")).hasSize(1);
    JsonNode pos = plan.get("apps").get(0);
    assertThat(pos.get("app").asText()).isEqualTo("pos");
    assertThat(pos.get("policy").asText()).isEqualTo("canary-then-tiers");
    assertThat(pos.get("waves").get(0).get("name").asText()).isEqualTo("canary");
    assertThat(pos.get("sites")).hasSize(30);
    JsonNode flagship = findSite(pos, "store-paris-01");
    assertThat(flagship.get("changed").toString()).contains("StatefulSet/pos/pos");
    assertThat(flagship.get("added")).isEmpty();
  }

  @Test
  void planMarkdownCarriesDiffsForAPullRequestComment() {
    Run r = run("plan", "--repo", repo(), "--from", initial, "--to", release, "--format", "markdown");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("#### App `pos`", "```diff", "+        image: registry.retail.example.com/pos/pos-server:4.13.0");
  }

  @Test
  void planForOneSitePrintsOnlyThatSitesChangeWhole() {
    Run all = run("plan", "--repo", repo(), "--from", initial, "--to", release);
    Run one = run("plan", "--repo", repo(), "--from", initial, "--to", release, "--site", "store-paris-01");

    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(all.out()).contains("the same change at 30 sites");
    assertThat(one.out()).contains("  site store-paris-01\n", "~ StatefulSet/pos/pos", "+        image: registry.retail.example.com/pos/pos-server:4.13.0")
        .doesNotContain("the same change at");
  }

  @Test
  void planMarksInEachWaveTheSitesThatChange() throws IOException {
    Run r = run("plan", "--repo", repo(), "--from", release, "--to", popOnly, "--format", "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode pos = new ObjectMapper().readTree(r.out()).get("apps").get(0);
    int sites = 0;
    int changing = 0;
    for (JsonNode wave : pos.get("waves")) {
      for (JsonNode site : wave.get("sites")) {
        sites++;
        // store-paris-01's own overlay sets the resources the pop overlay changed: it does not change.
        String name = site.get("site").asText();
        boolean changes = name.startsWith("store-") && !name.equals("store-paris-01");
        assertThat(site.get("changes").asBoolean()).as(site.toString()).isEqualTo(changes);
        if (changes) changing++;
      }
      assertThat(wave.get("changing").asInt()).isLessThanOrEqualTo(wave.get("sites").size());
    }
    assertThat(sites).isEqualTo(30);
    assertThat(changing).isEqualTo(23);
    assertThat(run("plan", "--repo", repo(), "--from", release, "--to", popOnly).out())
        .containsPattern("wave \\S+: \\d+ sites, \\d+ change");
  }

  @Test
  void planOfTheSameRevisionIsEmpty() {
    Run r = run("plan", "--repo", repo(), "--from", release, "--to", release);

    assertThat(r.out()).contains("No app changes");
  }

  @Test
  void renderPrintsOneSitesManifestsStampedWithTheRevision() {
    Run r = run("render", "--repo", repo(), "--rev", release, "--site", "store-paris-01", "--app", "pos");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("flotilla.dev/revision: " + release, "flotilla.dev/site: store-paris-01",
        "pos-server:4.13.0", "POS_SITE: store-paris-01");
  }

  @Test
  void renderWritesOneFilePerApp() {
    Path out = dir.resolve("out");
    Run r = run("render", "--repo", repo(), "--rev", release, "--site", "dc-paris", "--out", out.toString());

    assertThat(r.exit()).isZero();
    assertThat(out.resolve("pos.yaml")).exists();
    assertThat(out.resolve("telemetry.yaml")).exists();
  }

  @Test
  void renderOfAnUnknownSiteSaysSo() {
    Run r = run("render", "--repo", repo(), "--rev", release, "--site", "store-atlantis-01");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no site named 'store-atlantis-01'");
  }

  @Test
  void sitesFiltersWithALabelSelector() {
    Run r = run("sites", "--repo", repo(), "--rev", release, "--selector", "canary=true,flotilla.dev/tier in (pop,edge)");

    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().skip(1).map(l -> l.split("\\s+")[0]).toList())
        .containsExactly("edge-store-paris-02-a", "store-madrid-02", "store-paris-02");
  }

  @Test
  void unknownRevisionIsAClearFailure() {
    Run r = run("validate", "--repo", repo(), "--rev", "no-such-branch");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no-such-branch");
  }

  private static JsonNode findSite(JsonNode app, String site) {
    for (JsonNode s : app.get("sites")) {
      if (s.get("site").asText().equals(site)) return s;
    }
    throw new UncheckedIOException(new IOException("no site " + site + " in " + app));
  }
}
