package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.pull.AgentReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's durable report queue: numbered in order, kept across restarts until taken, a torn last line dropped. */
class ReportQueueTest {
  static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");

  @TempDir Path dir;

  static AgentReport report(String message) {
    return new AgentReport(1, "web", "aaaa", 1, Health.HEALTHY, T0, message, null, null);
  }

  @Test
  void reportsAreNumberedInOrderAndSurviveAReopen() throws Exception {
    ReportQueue q = ReportQueue.open(dir);
    q.append(report("one"));
    q.append(report("two"));

    ReportQueue again = ReportQueue.open(dir);

    assertThat(again.queue()).isEqualTo(q.queue());
    assertThat(again.pending()).extracting(AgentReport::seq).containsExactly(1L, 2L);
    assertThat(again.pending()).extracting(AgentReport::message).containsExactly("one", "two");
  }

  @Test
  void takenReportsLeaveTheQueueAndNumberingGoesOn() throws Exception {
    ReportQueue q = ReportQueue.open(dir);
    q.append(report("one"));
    q.append(report("two"));
    q.taken(1);
    q.taken(2);

    ReportQueue again = ReportQueue.open(dir);
    AgentReport third = again.append(report("three"));

    assertThat(third.seq()).isEqualTo(3);
    assertThat(again.pending()).extracting(AgentReport::seq).containsExactly(3L);
  }

  @Test
  void aLineCutShortByACrashIsDropped() throws Exception {
    ReportQueue q = ReportQueue.open(dir);
    q.append(report("one"));
    Files.writeString(dir.resolve(ReportQueue.LOG), "{\"seq\":2,\"app\":\"we", StandardOpenOption.APPEND);

    ReportQueue again = ReportQueue.open(dir);

    assertThat(again.pending()).extracting(AgentReport::message).containsExactly("one");
    assertThat(again.append(report("two")).seq()).isEqualTo(2);
  }

  @Test
  void aCorruptQueueMarkFailsClosed() throws Exception {
    ReportQueue.open(dir);
    Files.writeString(dir.resolve(ReportQueue.MARK), "{}");

    assertThatThrownBy(() -> ReportQueue.open(dir)).isInstanceOf(AgentException.class).hasMessageContaining("corrupt");
  }
}
