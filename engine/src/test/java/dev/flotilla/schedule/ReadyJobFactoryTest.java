package dev.flotilla.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;

class ReadyJobFactoryTest {
  static final class SyncJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {}
  }

  static final class PromoteJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {}
  }

  @Test
  void returnsTheInstanceRegisteredForTheJobsClass() throws Exception {
    SyncJob sync = new SyncJob();
    ReadyJobFactory factory = new ReadyJobFactory(Map.of(SyncJob.class, sync));

    assertThat(factory.newJob(bundle(SyncJob.class), null)).isSameAs(sync);
  }

  @Test
  void aJobClassWithoutAnInstanceFailsNamingTheClass() {
    ReadyJobFactory factory = new ReadyJobFactory(Map.of(SyncJob.class, new SyncJob()));

    assertThatThrownBy(() -> factory.newJob(bundle(PromoteJob.class), null))
        .isInstanceOf(SchedulerException.class)
        .hasMessageContaining(PromoteJob.class.getName());
  }

  @Test
  void refusesAnInstanceOfAnotherClass() {
    assertThatThrownBy(() -> new ReadyJobFactory(Map.of(SyncJob.class, new PromoteJob())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PromoteJob");
  }

  private static TriggerFiredBundle bundle(Class<? extends Job> type) {
    JobDetail job = JobBuilder.newJob(type).withIdentity("job").build();
    OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger().forJob(job).startNow().build();
    Date now = new Date();
    return new TriggerFiredBundle(job, trigger, null, false, now, now, null, null);
  }
}
