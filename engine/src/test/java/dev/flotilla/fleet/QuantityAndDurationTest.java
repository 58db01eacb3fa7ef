package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantityAndDurationTest {
  @ParameterizedTest(name = "{0} of {1} sites is {2}")
  @CsvSource({"3, 10, 3", "25%, 10, 3", "100%, 7, 7", "1%, 3, 1", "0%, 5, 0"})
  void quantityResolvesAgainstATotal(String text, int total, int expected) {
    assertThat(Quantity.parse(text).of(total)).isEqualTo(expected);
  }

  @Test
  void quantityRejectsGarbageAndOverHundredPercent() {
    assertThatThrownBy(() -> Quantity.parse("many")).hasMessageContaining("expected a whole number or a percentage");
    assertThatThrownBy(() -> Quantity.parse("150%")).hasMessageContaining("at most 100");
  }

  @ParameterizedTest(name = "{0} = {1}s")
  @CsvSource({"30s, 30", "10m, 600", "1h30m, 5400", "0, 0", "2h, 7200"})
  void durationsParseGoStyle(String text, long seconds) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void durationsFormatBack() {
    assertThat(Durations.format(Duration.ofSeconds(5400))).isEqualTo("1h30m");
    assertThatThrownBy(() -> Durations.parse("ten minutes")).hasMessageContaining("expected a duration");
  }
}
