package dev.flotilla.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Freeze;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.TriggerKey;
import org.quartz.impl.calendar.WeeklyCalendar;
import org.quartz.spi.OperableTrigger;

class FreezeCalendarTest {
  static final Freeze PEAK = new Freeze("peak", Instant.parse("2026-12-20T00:00:00Z"), Instant.parse("2027-01-03T00:00:00Z"), "retail peak");
  static final Freeze AUDIT = new Freeze("audit", Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"), "audit");

  final FreezeCalendar calendar = new FreezeCalendar(List.of(PEAK, AUDIT));

  @Test
  void excludesEachFreezeFromItsStartUpToItsEnd() {
    assertThat(calendar.isTimeIncluded(ms("2026-12-19T23:59:59.999Z"))).isTrue();
    assertThat(calendar.isTimeIncluded(ms("2026-12-20T00:00:00Z"))).isFalse();
    assertThat(calendar.isTimeIncluded(ms("2026-12-25T12:00:00Z"))).isFalse();
    assertThat(calendar.isTimeIncluded(ms("2027-01-02T23:59:59.999Z"))).isFalse();
    assertThat(calendar.isTimeIncluded(ms("2027-01-03T00:00:00Z"))).isTrue();
    assertThat(calendar.isTimeIncluded(ms("2026-11-01T08:00:00Z"))).isFalse();
  }

  @Test
  void theNextIncludedTimeInsideAFreezeIsItsEnd() {
    assertThat(calendar.getNextIncludedTime(ms("2026-12-24T08:00:00Z"))).isEqualTo(ms("2027-01-03T00:00:00Z"));
    assertThat(calendar.getNextIncludedTime(ms("2026-10-01T08:00:00Z"))).isEqualTo(ms("2026-10-01T08:00:00Z"));
  }

  @Test
  void aBaseCalendarStillExcludesItsOwnTimes() {
    // The default WeeklyCalendar excludes Saturdays and Sundays; 2027-01-03 is a Sunday.
    FreezeCalendar onWorkdays = new FreezeCalendar(new WeeklyCalendar(), List.of(PEAK));
    assertThat(onWorkdays.isTimeIncluded(ms("2026-12-16T10:00:00Z"))).isTrue();
    assertThat(onWorkdays.getNextIncludedTime(ms("2026-12-24T08:00:00Z")))
        .isGreaterThanOrEqualTo(ms("2027-01-04T00:00:00Z") - 24 * 3600_000L);
    assertThat(onWorkdays.isTimeIncluded(onWorkdays.getNextIncludedTime(ms("2026-12-24T08:00:00Z")))).isTrue();
  }

  @Test
  void aDailyCronTriggerSkipsTheFreeze() {
    CronTrigger nightly = CronTriggers.inZone(TriggerKey.triggerKey("nightly"), JobKey.jobKey("promote"),
        "0 0 2 * * ?", java.time.ZoneId.of("Europe/Paris"), Optional.of("freezes"));
    OperableTrigger trigger = (OperableTrigger) nightly.getTriggerBuilder()
        .startAt(Date.from(Instant.parse("2026-12-19T12:00:00Z"))).build();

    Date first = trigger.computeFirstFireTime(calendar);
    assertThat(first.toInstant()).isEqualTo(Instant.parse("2027-01-03T01:00:00Z")); // 02:00 in Paris
  }

  @Test
  void survivesJavaSerializationAsQuartzStoresIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(calendar);
    }
    FreezeCalendar read;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      read = (FreezeCalendar) in.readObject();
    }
    assertThat(read.isTimeIncluded(ms("2026-12-25T12:00:00Z"))).isFalse();
    assertThat(read.getDescription()).isEqualTo("fleet freezes: audit, peak");
  }

  static long ms(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }
}
