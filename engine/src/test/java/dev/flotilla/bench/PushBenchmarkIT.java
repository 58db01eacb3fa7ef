package dev.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push benchmark's code path on a small fleet, for correctness only: the real engine, the push
 * adapter and the slow API server answering every site under its own path prefix. Timing belongs to
 * the benchmark, so nothing here asserts a duration; connections and requests are bounded by design
 * and are asserted.
 */
class PushBenchmarkIT {
  @TempDir Path dir;

  @Test
  void oneReleaseReachesEveryPushSiteThroughOneSharedApiServer() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Map<String, Object> numbers = new PushBenchmark(dir, null, Duration.ofMillis(5), 4,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run(12);

    assertThat(numbers.get("state")).isEqualTo("COMPLETED");
    assertThat(numbers.get("sitesDone")).isEqualTo(12);
    assertThat(numbers.get("deliveriesCarriedOut")).isEqualTo(12L);
    assertThat(numbers.get("failedDeliveryAttempts")).isEqualTo(0L);
    // Per site: read the inventory, apply 2 objects, apply the inventory (and its namespace), read 2 objects' health.
    assertThat((double) numbers.get("requestsPerSite")).isBetween(7.0, 8.0);
    assertThat((int) numbers.get("openConnectionsPeak")).isBetween(1, 12);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("step 1:");
  }

  @Test
  void connectionsCountTheClientSideOfEstablishedSocketsOnly() throws Exception {
    try (SlowApiServer api = new SlowApiServer(Duration.ZERO, 2)) {
      assertThat(PushBenchmark.connectionsTo(api.port())).isZero();
      try (java.net.Socket one = new java.net.Socket("127.0.0.1", api.port());
          java.net.Socket two = new java.net.Socket("127.0.0.1", api.port())) {
        assertThat(PushBenchmark.connectionsTo(api.port())).isEqualTo(2);
      }
    }
  }
}
