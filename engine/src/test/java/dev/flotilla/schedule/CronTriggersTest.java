package dev.flotilla.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.TriggerKey;

class CronTriggersTest {
  @Test
  void firesAtTheCronTimeInTheGivenZone() {
    CronTrigger trigger = CronTriggers.inZone(TriggerKey.triggerKey("window", "store-tokyo-01"), JobKey.jobKey("promote"),
        "0 30 3 ? * MON-FRI", ZoneId.of("Asia/Tokyo"), Optional.empty());

    // A trigger starts when it is built; this one is moved back so that June 2026 lies after its start.
    CronTrigger fromMay = trigger.getTriggerBuilder().startAt(Date.from(Instant.parse("2026-05-01T00:00:00Z"))).build();
    Date next = fromMay.getFireTimeAfter(Date.from(Instant.parse("2026-06-01T00:00:00Z"))); // a Monday
    assertThat(next.toInstant()).isEqualTo(Instant.parse("2026-06-01T18:30:00Z")); // Tuesday 03:30 in Tokyo
    assertThat(trigger.getTimeZone().getID()).isEqualTo("Asia/Tokyo");
    assertThat(trigger.getCalendarName()).isNull();
    assertThat(trigger.getMisfireInstruction()).isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW);
  }

  @Test
  void namesTheCalendarThatModifiesIt() {
    CronTrigger trigger = CronTriggers.inZone(TriggerKey.triggerKey("poll"), JobKey.jobKey("sync"),
        "0 */5 * * * ?", ZoneId.of("UTC"), Optional.of("fleet-freezes"));
    assertThat(trigger.getCalendarName()).isEqualTo("fleet-freezes");
  }

  @Test
  void anInvalidExpressionNamesItselfAndTheTrigger() {
    assertThatThrownBy(() -> CronTriggers.inZone(TriggerKey.triggerKey("window"), JobKey.jobKey("promote"),
        "every tuesday", ZoneId.of("UTC"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'every tuesday'")
        .hasMessageContaining("DEFAULT.window");
  }
}
