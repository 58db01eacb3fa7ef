package dev.flotilla.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowScheduleTest {
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Window NIGHT = new Window("store-night", "0 0 2 ? * *", Duration.ofHours(3));
  static final Window LATE = new Window("late", "0 0 23 ? * *", Duration.ofHours(2));

  @ParameterizedTest(name = "{0} in Paris: open={1}")
  @CsvSource({
    "2026-05-04T23:59:59Z, false", // 01:59:59 CEST
    "2026-05-05T00:00:00Z, true", //  02:00 CEST: the opening instant is inside
    "2026-05-05T02:59:59Z, true",
    "2026-05-05T03:00:00Z, false", // 05:00 CEST: the closing instant is outside
  })
  void windowOpensInclusiveAndClosesExclusiveInTheSitesZone(String at, boolean open) {
    assertThat(WindowSchedule.isOpen(NIGHT, PARIS, Instant.parse(at))).isEqualTo(open);
  }

  @ParameterizedTest(name = "{0} in Paris: open={1}")
  @CsvSource({"2026-05-04T20:59:59Z, false", "2026-05-04T21:00:00Z, true", "2026-05-04T22:30:00Z, true", "2026-05-04T23:00:00Z, false"})
  void windowSpanningMidnightStaysOpenIntoTheNextDay(String at, boolean open) {
    // 23:00 CEST is 21:00Z; the window closes at 01:00 CEST the next day.
    assertThat(WindowSchedule.isOpen(LATE, PARIS, Instant.parse(at))).isEqualTo(open);
  }

  @Test
  void sameInstantIsInsideTheWindowInOneZoneAndOutsideInAnother() {
    Instant t = Instant.parse("2026-05-05T00:30:00Z"); // 02:30 in Paris, 20:30 in New York
    assertThat(WindowSchedule.isOpen(NIGHT, PARIS, t)).isTrue();
    assertThat(WindowSchedule.isOpen(NIGHT, NEW_YORK, t)).isFalse();
    assertThat(WindowSchedule.nextOpening(NIGHT, NEW_YORK, t)).contains(Instant.parse("2026-05-05T06:00:00Z"));
  }

  @Test
  void springForwardNightInParisHasNoWindowAtAWallClockTimeThatDoesNotExist() {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that night, so it does not open.
    Window w = new Window("half-past-two", "0 30 2 ? * *", Duration.ofHours(1));
    assertThat(WindowSchedule.nextOpening(w, PARIS, Instant.parse("2026-03-28T12:00:00Z")))
        .contains(Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST the next night
    assertThat(WindowSchedule.isOpen(w, PARIS, Instant.parse("2026-03-29T01:45:00Z"))).isFalse();
  }

  @Test
  void fallBackNightInParisOpensOnceAtTheSecondOccurrence() {
    // 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice, the window opens once.
    Window w = new Window("half-past-two", "0 30 2 ? * *", Duration.ofMinutes(20));
    Instant first = WindowSchedule.nextOpening(w, PARIS, Instant.parse("2026-10-24T12:00:00Z")).orElseThrow();
    assertThat(first).isEqualTo(Instant.parse("2026-10-25T01:30:00Z")); // 02:30 CET
    assertThat(WindowSchedule.nextOpening(w, PARIS, first)).contains(Instant.parse("2026-10-26T01:30:00Z"));
    assertThat(WindowSchedule.isOpen(w, PARIS, Instant.parse("2026-10-25T00:35:00Z"))).isFalse(); // 02:35 CEST
  }

  @Test
  void newYorkWindowFollowsItsOwnDaylightSavingChange() {
    // New York springs forward on 2026-03-08: 02:00 EST is 07:00Z before, 02:00 EDT 06:00Z after.
    assertThat(WindowSchedule.nextOpening(NIGHT, NEW_YORK, Instant.parse("2026-03-06T12:00:00Z")))
        .contains(Instant.parse("2026-03-07T07:00:00Z"));
    assertThat(WindowSchedule.nextOpening(NIGHT, NEW_YORK, Instant.parse("2026-03-09T12:00:00Z")))
        .contains(Instant.parse("2026-03-10T06:00:00Z"));
  }

  @Test
  void openTimeIsTheUnionOfTheZonesOpenSpans() {
    Instant from = Instant.parse("2026-05-04T12:00:00Z");
    Instant to = Instant.parse("2026-05-05T12:00:00Z");
    Duration enough = Duration.ofDays(1);
    assertThat(WindowSchedule.openTime(NIGHT, List.of(PARIS), from, to, enough)).isEqualTo(Duration.ofHours(3));
    // Paris 00:00-03:00Z and New York 06:00-09:00Z do not overlap: six hours in all.
    assertThat(WindowSchedule.openTime(NIGHT, List.of(PARIS, NEW_YORK), from, to, enough)).isEqualTo(Duration.ofHours(6));
    // Paris and Berlin share the same hours: counted once.
    assertThat(WindowSchedule.openTime(NIGHT, List.of(PARIS, ZoneId.of("Europe/Berlin")), from, to, enough)).isEqualTo(Duration.ofHours(3));
  }

  @Test
  void openTimeCountsOnlyThePartOfASpanInsideTheInterval() {
    Instant from = Instant.parse("2026-05-05T01:00:00Z"); // an hour into the Paris window
    Instant to = Instant.parse("2026-05-05T02:30:00Z");
    assertThat(WindowSchedule.openTime(NIGHT, List.of(PARIS), from, to, Duration.ofDays(1))).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void openTimeStopsCountingAtEnough() {
    Window everyMinute = new Window("always", "0 * * ? * *", Duration.ofMinutes(1));
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(WindowSchedule.openTime(everyMinute, List.of(PARIS), from, from.plus(Duration.ofDays(300)), Duration.ofMinutes(10)))
        .isEqualTo(Duration.ofMinutes(10));
  }
}
