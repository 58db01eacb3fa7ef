package dev.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout benchmark's code path on a small fleet, for correctness only: the real engine (Git
 * repo, real kustomize, embedded H2, Quartz) and simulated sites. Timing belongs to the benchmark,
 * so nothing here asserts a duration.
 */
class RolloutBenchmarkIT {
  @TempDir Path dir;

  @Test
  void threeReleasesInARowReachEverySiteThroughTheOutboxWithoutADuplicate() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Map<String, Object> numbers = new RolloutBenchmark(dir, null, 600, Duration.ZERO, 4,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run(200, 3);

    // Release 2 arrived while release 1 was mid-way and waited (queue); release 3 likewise; each completed.
    assertThat(numbers.get("rolloutStates")).isEqualTo(List.of("COMPLETED", "COMPLETED", "COMPLETED"));
    assertThat(numbers.get("siteUpdates")).isEqualTo(600L);
    assertThat(numbers.get("deliveriesCarriedOut")).isEqualTo(600L);
    assertThat(numbers.get("applies")).isEqualTo(600L);
    assertThat(numbers.get("duplicateDeliveries")).isEqualTo(0L);
    assertThat((double) numbers.get("bytesPerChangedSite")).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("pass 1:");
  }

  @Test
  void aSlowAdapterDoesNotHoldThePassUp() throws Exception {
    Map<String, Object> numbers = new RolloutBenchmark(dir, null, 600, Duration.ofMillis(50), 8,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(100, 1);

    assertThat(numbers.get("rolloutStates")).isEqualTo(List.of("COMPLETED"));
    assertThat(numbers.get("deliveriesCarriedOut")).isEqualTo(100L);
    // Deliveries of 50 ms each are carried out by the workers, never inside a pass: no pass waits for even one.
    assertThat((double) numbers.get("passMaxMs")).isLessThan(50.0 * 100 / 8);
  }
}
