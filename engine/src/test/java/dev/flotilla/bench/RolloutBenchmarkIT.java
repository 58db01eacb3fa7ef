package dev.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
  void aReleaseReachesEverySiteOfTheFleetExactlyOnce() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Map<String, Object> numbers =
        new RolloutBenchmark(dir, null, 200, new PrintStream(printed, true, StandardCharsets.UTF_8)).run(200);

    assertThat(numbers.get("waves")).isEqualTo(5);
    assertThat(numbers.get("sitesInRollout")).isEqualTo(200);
    assertThat(numbers.get("sitesDone")).isEqualTo(200);
    assertThat(numbers.get("siteUpdates")).isEqualTo(200L);
    assertThat(numbers.get("applies")).isEqualTo(200L);
    assertThat(numbers.get("duplicateDeliveries")).isEqualTo(0L);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("pass 1:");
  }
}
