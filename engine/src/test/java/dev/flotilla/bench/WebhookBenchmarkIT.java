package dev.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook benchmark's code path on a small fleet, for correctness only: every pull request push
 * gets its plan status, and every delivery of the burst is accepted once and answered "seen before"
 * when sent again. Timing belongs to the benchmark, so nothing here asserts a duration.
 */
class WebhookBenchmarkIT {
  @TempDir Path dir;

  @Test
  void everyPushGetsItsPlanStatusAndEveryDeliveryIsActedOnOnce() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Map<String, Object> numbers = new WebhookBenchmark(dir, null, new PrintStream(printed, true, StandardCharsets.UTF_8)).run(40, 2, 30);

    assertThat((List<?>) numbers.get("planStatusSeconds")).hasSize(2);
    assertThat(numbers.get("burstFirstAnswers")).isEqualTo(Map.of(202, 30L));
    assertThat(numbers.get("burstRedeliveryAnswers")).isEqualTo(Map.of(200, 30L));
    assertThat(numbers.get("burstLost")).isEqualTo(0L);
    assertThat(numbers.get("burstActedOnTwice")).isEqualTo(0L);
    assertThat(numbers.get("burstDeliveriesRecorded")).isEqualTo(30L);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("plan 2:").contains("1 app changes");
  }

  @Test
  void percentilesPickTheRankedValue() {
    assertThat(WebhookBenchmark.percentile(new double[] {5, 1, 4, 2, 3}, 50)).isEqualTo(3.0);
    assertThat(WebhookBenchmark.percentile(new double[] {5, 1, 4, 2, 3}, 100)).isEqualTo(5.0);
    assertThat(WebhookBenchmark.percentile(List.of(10.0, 20.0), 50)).isEqualTo(10.0);
  }
}
