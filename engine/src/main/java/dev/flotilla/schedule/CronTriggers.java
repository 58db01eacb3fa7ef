package dev.flotilla.schedule;

import java.text.ParseException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * Cron triggers evaluated in a given time zone (a site's, for maintenance windows; the fleet's, for
 * polling). A trigger that missed its time while the engine was down fires once on start-up and then
 * keeps its schedule, rather than firing every missed time or none.
 */
public final class CronTriggers {
  private CronTriggers() {}

  /**
   * A trigger for {@code job} at each time {@code cron} (Quartz syntax, with seconds) names in
   * {@code zone}, skipping times the named calendar excludes.
   *
   * @throws IllegalArgumentException when the expression is not valid Quartz cron
   */
  public static CronTrigger inZone(TriggerKey key, JobKey job, String cron, ZoneId zone, Optional<String> calendar) {
    try {
      CronExpression.validateExpression(cron);
    } catch (ParseException e) {
      throw new IllegalArgumentException("invalid cron expression '" + cron + "' for trigger " + key + ": " + e.getMessage(), e);
    }
    TriggerBuilder<CronTrigger> builder = TriggerBuilder.newTrigger()
        .withIdentity(key)
        .forJob(job)
        .withSchedule(CronScheduleBuilder.cronSchedule(cron)
            .inTimeZone(TimeZone.getTimeZone(zone))
            .withMisfireHandlingInstructionFireAndProceed());
    calendar.ifPresent(builder::modifiedByCalendar);
    return builder.build();
  }
}
