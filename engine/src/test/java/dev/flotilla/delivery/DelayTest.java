package dev.flotilla.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DelayTest {
  @Test
  void rangeDrawsWithinItsBoundsAndRepeatsForTheSameSeed() {
    Delay delay = Delay.between(Duration.ofMillis(50), Duration.ofMillis(200));

    var first = IntStream.range(0, 100).mapToObj(i -> delay.draw(new SplittableRandom(i))).toList();
    var second = IntStream.range(0, 100).mapToObj(i -> delay.draw(new SplittableRandom(i))).toList();

    assertThat(first).isEqualTo(second)
        .allMatch(d -> d.compareTo(Duration.ofMillis(50)) >= 0 && d.compareTo(Duration.ofMillis(200)) <= 0);
  }

  @Test
  void rangeWithMaxBelowMinIsRejected() {
    assertThatThrownBy(() -> Delay.between(Duration.ofMillis(200), Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min <= max");
  }
}
