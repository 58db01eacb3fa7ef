package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Full jitter: each wait drawn from zero up to a cap that doubles with each failure, never past the maximum. */
class BackoffTest {
  final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

  @Test
  void waitsStayUnderADoublingCap() {
    SplittableRandom random = new SplittableRandom(1);
    for (int failures = 1; failures <= 10; failures++) {
      long cap = Math.min(60_000, 1_000L << (failures - 1));
      int n = failures;
      assertThat(IntStream.range(0, 200).mapToLong(i -> backoff.after(n, random).toMillis())).allSatisfy(ms -> assertThat(ms).isBetween(0L, cap));
    }
  }

  @Test
  void waitsAreSpreadOverTheWholeRangeNotBunchedAtTheCap() {
    SplittableRandom random = new SplittableRandom(2);
    long[] waits = IntStream.range(0, 1000).mapToLong(i -> backoff.after(20, random).toMillis()).toArray();

    assertThat(java.util.Arrays.stream(waits).min().orElseThrow()).isLessThan(6_000);
    assertThat(java.util.Arrays.stream(waits).max().orElseThrow()).isGreaterThan(54_000);
  }
}
