package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retry timing of failed deliveries: doubling from the base, capped, each drawn between half and all of it. */
class BackoffTest {
  private final DeliveryWorkers.Backoff backoff = new DeliveryWorkers.Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

  @ParameterizedTest(name = "attempt {0}: between {1} and {2} ms")
  @CsvSource({
      "1, 1000, 2000",
      "2, 2000, 4000",
      "3, 4000, 8000",
      "8, 128000, 256000",
      "9, 150000, 300000",
      "60, 150000, 300000"
  })
  void delaysDoubleUpToTheCapWithJitter(int attempts, long lowMs, long highMs) {
    SplittableRandom random = new SplittableRandom(attempts);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2_000; i++) {
      long ms = backoff.after(attempts, random).toMillis();
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    assertThat(min).isBetween(lowMs, highMs);
    assertThat(max).isBetween(lowMs, highMs);
    // Jitter spreads a region's retries: the draws cover most of the range, not one value.
    assertThat(max - min).isGreaterThan((highMs - lowMs) / 2);
  }
}
