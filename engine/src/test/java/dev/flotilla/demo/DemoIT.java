package dev.flotilla.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.Json;
import dev.flotilla.demo.DemoReport.RolloutEntry;
import dev.flotilla.demo.DemoReport.SiteUpdate;
import dev.flotilla.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla demo --headless --report FILE} end to end on real parts: the example fleet in a
 * real Git repository, the real kustomize, the engine on embedded H2, and simulated sites on the
 * demo clock. Each scenario runs once; its tests read the report it wrote.
 */
class DemoIT {
  @TempDir static Path dir;

  static Run run(String name, DemoScenario scenario, int sites) throws Exception {
    return run(name, scenario, sites, false);
  }

  static Run run(String name, DemoScenario scenario, int sites, boolean pushMock) throws Exception {
    Path work = dir.resolve(name);
    DemoOutcome outcome = DemoRun.run(DemoSettings.headless(scenario, sites, RepoRoot.find().resolve("fleet-repo-example"), work)
        .withPushMock(pushMock), DemoOutput.SILENT);
    Path file = work.resolve("report.json");
    outcome.report().write(file);
    return new Run(outcome, DemoReport.read(file), file);
  }

  record Run(DemoOutcome outcome, DemoReport report, Path file) {
    /** The pos release the demo committed: the pos release rollout not at today's revision. */
    RolloutEntry release() {
      String today = todayRevision();
      return report.rollouts().stream()
          .filter(r -> r.app().equals("pos") && r.kind().equals("RELEASE") && !r.revision().equals(today))
          .findFirst().orElseThrow();
    }

    /** Today's revision: the one telemetry, which the demo does not release, runs. */
    String todayRevision() {
      return report.rollouts().stream().filter(r -> r.app().equals("telemetry")).findFirst().orElseThrow().revision();
    }

    List<SiteUpdate> updatesOf(String app, String revision) {
      return report.siteUpdates().stream().filter(u -> u.app().equals(app) && u.revision().equals(revision)).toList();
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class DefaultScenario {
    Run run;

    @BeforeAll
    void runTheDemo() throws Exception {
      run = run("default", DemoScenario.DEFAULT, 0);
    }

    @Test
    void endsAsExpectedWithTheReleaseCompletedAndEveryWaveStartedAndCompleted() {
      RolloutEntry release = run.release();

      assertThat(run.outcome().asExpected()).as(run.outcome().verdict()).isTrue();
      assertThat(release.state()).isEqualTo("COMPLETED");
      assertThat(release.waves()).isNotEmpty().allSatisfy(w -> {
        assertThat(w.startedAt()).as("wave %s started", w.name()).isNotNull();
        assertThat(w.completedAt()).as("wave %s completed", w.name()).isNotNull();
      });
    }

    @Test
    void reportsEverySiteUpdateOnceWithItsWave() {
      List<String> keys = run.report().siteUpdates().stream().map(u -> u.site() + " " + u.app() + " " + u.revision()).toList();

      assertThat(keys).doesNotHaveDuplicates();
      assertThat(run.report().siteUpdates()).allSatisfy(u -> assertThat(u.wave()).isNotNull());
      assertThat(run.updatesOf("pos", run.release().revision())).extracting(SiteUpdate::site)
          .containsExactlyInAnyOrderElementsOf(run.release().waves().stream().flatMap(w -> w.sites().stream()).toList());
    }

    @Test
    void updatesEveryCanarySiteOfTheReleaseBeforeAnySiteOfALaterWave() {
      RolloutEntry release = run.release();
      Set<String> canary = Set.copyOf(release.waves().get(0).sites());
      List<SiteUpdate> updates = run.updatesOf("pos", release.revision());

      Instant lastCanary = updates.stream().filter(u -> canary.contains(u.site())).map(SiteUpdate::at).max(Comparator.naturalOrder())
          .orElseThrow();
      Instant firstLater = updates.stream().filter(u -> !canary.contains(u.site())).map(SiteUpdate::at).min(Comparator.naturalOrder())
          .orElseThrow();

      assertThat(canary).isNotEmpty();
      assertThat(lastCanary).isBefore(firstLater);
      assertThat(updates).filteredOn(u -> canary.contains(u.site())).extracting(SiteUpdate::wave).containsOnly(release.waves().get(0).name());
    }

    @Test
    void writesTheReportWithTheIssuesFieldNamesAndIsoInstants() throws Exception {
      JsonNode json = Json.mapper().readTree(Files.readString(run.file()));
      JsonNode rollout = json.get("rollouts").get(0);
      JsonNode wave = rollout.get("waves").get(0);
      JsonNode update = json.get("siteUpdates").get(0);

      assertThat(fields(json)).contains("scenario", "sites", "rollouts", "siteUpdates");
      assertThat(fields(rollout)).contains("app", "revision", "state", "waves");
      assertThat(fields(wave)).contains("name", "sites", "startedAt", "completedAt");
      assertThat(fields(update)).containsExactly("site", "app", "revision", "wave", "at");
      assertThat(json.get("scenario").asText()).isEqualTo("default");
      assertThat(json.get("sites").asInt()).isEqualTo(90);
      assertThat(update.get("at").asText()).matches("2026-12-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?Z");
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class BadRelease {
    Run run;

    @BeforeAll
    void runTheDemo() throws Exception {
      run = run("bad-release", DemoScenario.BAD_RELEASE, 0);
    }

    @Test
    void haltsTheReleaseAndCompletesItsRollbackToTodaysRevision() {
      RolloutEntry release = run.release();
      RolloutEntry rollback = run.report().rollouts().stream().filter(r -> r.kind().equals("ROLLBACK")).findFirst().orElseThrow();

      assertThat(run.outcome().asExpected()).as(run.outcome().verdict()).isTrue();
      assertThat(release.state()).isEqualTo("HALTED");
      assertThat(rollback.state()).isEqualTo("COMPLETED");
      assertThat(rollback.revision()).isEqualTo(run.todayRevision());
    }

    @Test
    void leavesEveryCanarySiteOnTodaysRevision() {
      List<String> canary = run.release().waves().get(0).sites();
      Map<String, String> lastPos = new LinkedHashMap<>();
      for (SiteUpdate u : run.report().siteUpdates()) {
        if (u.app().equals("pos")) lastPos.put(u.site(), u.revision());
      }

      assertThat(run.updatesOf("pos", run.release().revision())).isNotEmpty();
      assertThat(canary).allSatisfy(site -> assertThat(lastPos.get(site)).as(site).isEqualTo(run.todayRevision()));
    }

    @Test
    void givesTheBadRevisionToNoSiteOutsideTheCanaryWave() {
      Set<String> canary = Set.copyOf(run.release().waves().get(0).sites());

      assertThat(run.updatesOf("pos", run.release().revision())).extracting(SiteUpdate::site).allMatch(canary::contains);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class ScaledFleet {
    Run run;

    @BeforeAll
    void runTheDemo() throws Exception {
      run = run("sites-300", DemoScenario.DEFAULT, 300);
    }

    @Test
    void runsThreeHundredSitesToTheEnd() {
      Set<String> telemetrySites = new HashSet<>(run.updatesOf("telemetry", run.todayRevision()).stream().map(SiteUpdate::site).toList());

      assertThat(run.report().sites()).isEqualTo(300);
      assertThat(telemetrySites).hasSize(300);
      assertThat(run.outcome().asExpected()).as(run.outcome().verdict()).isTrue();
    }
  }

  /** The example's push sites: its data centers and the micro data centers other than mdc-milan, a pull site. */
  static final List<String> PUSH_SITES = List.of("dc-paris", "dc-frankfurt", "mdc-lyon", "mdc-madrid", "mdc-london");

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class PushSitesOnMockApiServers {
    Run run;

    @BeforeAll
    void runTheDemo() throws Exception {
      run = run("push-mock", DemoScenario.DEFAULT, 0, true);
    }

    @Test
    void endsAsExpectedWithEveryPushSitesServerHoldingTheReleasedPosAndTodaysTelemetry() {
      assertThat(run.outcome().asExpected()).as(run.outcome().verdict()).isTrue();
      assertThat(run.report().pushSites()).extracting(DemoReport.PushSite::site).containsExactlyInAnyOrderElementsOf(PUSH_SITES);
      assertThat(run.report().pushSites()).allSatisfy(p -> {
        assertThat(p.server()).as(p.site()).startsWith("http://");
        assertThat(p.revisions()).as("the revisions of the objects on %s's server", p.site())
            .isEqualTo(Map.of("pos", List.of(run.release().revision()), "telemetry", List.of(run.todayRevision())));
      });
    }

    @Test
    void deliversEachReleaseToEachPushSiteOnceThroughItsServer() {
      for (String site : PUSH_SITES) {
        assertThat(run.report().siteUpdates()).filteredOn(u -> u.site().equals(site))
            .extracting(u -> u.app() + "@" + u.revision())
            .as("the applies %s's server took", site)
            .containsExactlyInAnyOrder("pos@" + run.todayRevision(), "telemetry@" + run.todayRevision(), "pos@" + run.release().revision());
      }
      assertThat(run.report().pushSites()).allSatisfy(p -> assertThat(p.applies()).as(p.site()).isPositive());
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class BadReleaseOnMockApiServers {
    Run run;

    @BeforeAll
    void runTheDemo() throws Exception {
      run = run("push-mock-bad-release", DemoScenario.BAD_RELEASE, 0, true);
    }

    @Test
    void theCanaryDataCentersServerRefusesTheBadImageAndEndsBackOnTodaysRevision() {
      assertThat(run.outcome().asExpected()).as(run.outcome().verdict()).isTrue();
      var release = run.outcome().rollouts().stream().filter(r -> r.id().equals(run.release().id())).findFirst().orElseThrow();
      var paris = release.sites().stream().filter(s -> s.site().equals("dc-paris")).findFirst().orElseThrow();
      assertThat(paris.status()).isEqualTo("FAILED");
      assertThat(paris.message()).contains("denied the request").contains("StatefulSet");
      DemoReport.PushSite server = run.report().pushSites().stream().filter(p -> p.site().equals("dc-paris")).findFirst().orElseThrow();
      assertThat(server.revisions()).as("after the rollback").containsEntry("pos", List.of(run.todayRevision()));
    }
  }

  static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
