package dev.flotilla.delivery;

import static dev.flotilla.delivery.Releases.pullSite;
import static dev.flotilla.delivery.Releases.pushSite;
import static dev.flotilla.delivery.Releases.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorJournalTest {
  private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
  private static final Duration APPLY = Duration.ofMillis(100);
  private static final Duration READY = Duration.ofMillis(300);

  @TempDir Path dir;
  private final SteppedClock clock = new SteppedClock(START);

  private SimulatedDelivery open(Path journal) throws IOException {
    return SimulatedDelivery.builder(clock)
        .applyDelay(Delay.fixed(APPLY))
        .readyDelay(Delay.fixed(READY))
        .journal(journal)
        .build();
  }

  private void after(SimulatedDelivery sim, Duration d) {
    clock.advance(d);
    sim.tick();
  }

  @Test
  void eachApplyIsOneJsonLineWrittenBeforeItsReportIsVisible() throws Exception {
    Path journal = dir.resolve("sim/journal.jsonl");
    try (SimulatedDelivery sim = open(journal)) {
      sim.deliver(release(pushSite("store-0001"), "pos", "r1"));
      after(sim, APPLY);

      assertThat(sim.status("store-0001", "pos")).isPresent();
      assertThat(Files.readAllLines(journal)).containsExactly(
          "{\"site\":\"store-0001\",\"app\":\"pos\",\"revision\":\"r1\",\"rolloutId\":\"rollout-pos-r1\","
              + "\"at\":\"2025-03-01T10:00:00.100Z\",\"health\":\"PROGRESSING\"}");
    }
  }

  @Test
  void newSimulatorOnTheSameJournalResumesRunningRevisionsAndHistory() throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    SimulatedDelivery crashed = open(journal);
    crashed.deliver(release(pushSite("store-0001"), "pos", "r1"));
    crashed.deliver(release(pullSite("gw-0001"), "pos", "r1"));
    after(crashed, APPLY.plus(READY));
    crashed.deliver(release(pushSite("store-0001"), "pos", "r2"));
    after(crashed, APPLY.plus(READY));
    crashed.deliver(release(pullSite("gw-0001"), "pos", "r2"));
    List<AppliedRelease> historyBeforeCrash = crashed.history();
    // No close(): the JVM is killed before gw-0001 applied r2; it was given, so it is not lost.

    try (SimulatedDelivery restarted = open(journal)) {
      assertThat(restarted.history()).isEqualTo(historyBeforeCrash);
      assertThat(restarted.status("store-0001", "pos").orElseThrow())
          .extracting(SiteReport::revision, SiteReport::health)
          .containsExactly("r2", Health.HEALTHY);
      assertThat(restarted.runningRevision("gw-0001", "pos")).contains("r1");

      // Nobody delivers again: the engine counted r2 as delivered to gw-0001, and the site applies it.
      after(restarted, APPLY);
      assertThat(restarted.history()).hasSize(historyBeforeCrash.size() + 1);
      assertThat(restarted.runningRevision("gw-0001", "pos")).contains("r2");
      restarted.deliver(release(pushSite("store-0001"), "pos", "r2"));
      assertThat(restarted.counters().duplicateDeliveries()).isEqualTo(1);
    }
  }

  @Test
  void siteThatWasProgressingAtTheCrashBecomesReadyAfterTheRestart() throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    SimulatedDelivery crashed = open(journal);
    crashed.deliver(release(pushSite("store-0001"), "pos", "r1"));
    after(crashed, APPLY);

    try (SimulatedDelivery restarted = open(journal)) {
      assertThat(restarted.status("store-0001", "pos").orElseThrow().health()).isEqualTo(Health.PROGRESSING);
      after(restarted, READY);
      assertThat(restarted.status("store-0001", "pos").orElseThrow().health()).isEqualTo(Health.HEALTHY);
    }
  }

  @Test
  void failedApplyIsReplayedAsFailed() throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    SimulatedDelivery crashed = open(journal);
    crashed.failRevisionAt("store-0001", "r1");
    crashed.deliver(release(pushSite("store-0001"), "pos", "r1"));
    after(crashed, APPLY);

    try (SimulatedDelivery restarted = open(journal)) {
      assertThat(restarted.status("store-0001", "pos").orElseThrow())
          .extracting(SiteReport::revision, SiteReport::health)
          .containsExactly("r1", Health.FAILED);
    }
  }

  @Test
  void tornLastLineIsIgnoredAndLaterAppliesStayReadable() throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    SimulatedDelivery crashed = open(journal);
    crashed.deliver(release(pushSite("store-0001"), "pos", "r1"));
    after(crashed, APPLY);
    Files.writeString(journal, "{\"site\":\"store-0002\",\"app\":\"pos\",\"revi", StandardOpenOption.APPEND);

    try (SimulatedDelivery restarted = open(journal)) {
      assertThat(restarted.history()).extracting(AppliedRelease::site).containsExactly("store-0001");
      assertThat(restarted.status("store-0002", "pos")).isEmpty();
      restarted.deliver(release(pushSite("store-0002"), "pos", "r1"));
      after(restarted, APPLY);
    }

    try (SimulatedDelivery again = open(journal)) {
      assertThat(again.history()).extracting(AppliedRelease::site).containsExactly("store-0001", "store-0002");
    }
  }

  @Test
  void corruptLineBeforeTheLastFailsTheOpenNamingFileAndLine() throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    String good = ApplyJournal.format(new AppliedRelease("store-0001", "pos", "r1", "ro-1", START, Health.HEALTHY));
    Files.writeString(journal, good + "\n" + "not json\n" + good + "\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> open(journal))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(journal.toString())
        .hasMessageContaining("line 2");
  }

  @Test
  void lineMissingAFieldIsRejected() {
    assertThatThrownBy(() -> ApplyJournal.parse("{\"site\":\"s\",\"app\":\"pos\",\"at\":\"2025-03-01T10:00:00Z\","
        + "\"health\":\"HEALTHY\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("revision");
  }

  @Test
  void lineRoundTripsThroughTheJournalFormat() {
    AppliedRelease applied = new AppliedRelease("gw-0001", "pos", "3f2a1c", "ro-7", START, Health.FAILED);

    assertThat(ApplyJournal.parse(ApplyJournal.format(applied))).isEqualTo(applied);
  }
}
