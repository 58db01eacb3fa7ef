package dev.flotilla.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Freeze;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * Quartz with its JDBC job store in the engine's database, whichever vendor: {@code H2QuartzIT} and
 * {@code PostgresQuartzIT} run these same tests.
 */
abstract class QuartzContract {
  /** Counts its firings and records the job data it saw. */
  static final class RecordingJob implements Job {
    final CountDownLatch fired = new CountDownLatch(1);
    final List<String> rollouts = new CopyOnWriteArrayList<>();

    @Override
    public void execute(JobExecutionContext context) {
      rollouts.add(context.getMergedJobDataMap().getString("rollout"));
      fired.countDown();
    }
  }

  Database database;
  Scheduler scheduler;

  /** Settings of a fresh, empty database for one test; opening them again reaches the same data. */
  abstract DatabaseSettings freshDatabase() throws Exception;

  @AfterEach
  void shutDown() throws Exception {
    if (scheduler != null && !scheduler.isShutdown()) scheduler.shutdown(true);
    if (database != null) database.close();
  }

  static JobDetail promoteJob(String rollout) {
    return JobBuilder.newJob(RecordingJob.class).withIdentity("promote-" + rollout, "promotions")
        .usingJobData("rollout", rollout).build();
  }

  static Trigger at(Instant when, JobDetail job) {
    return TriggerBuilder.newTrigger().withIdentity(job.getKey().getName(), "promotions").forJob(job)
        .startAt(Date.from(when)).build();
  }

  @Test
  void aScheduledJobFires() throws Exception {
    database = Database.open(freshDatabase());
    RecordingJob job = new RecordingJob();
    scheduler = Schedulers.create(database, "flotilla", false, 2, Map.of(RecordingJob.class, job));
    scheduler.start();

    JobDetail detail = promoteJob("pos@3f2a1c");
    scheduler.scheduleJob(detail, at(Instant.now().plusMillis(300), detail));

    assertThat(job.fired.await(20, TimeUnit.SECONDS)).as("fired").isTrue();
    assertThat(job.rollouts).containsExactly("pos@3f2a1c");
  }

  @Test
  void aJobScheduledBeforeAShutdownFiresAfterTheRestart() throws Exception {
    DatabaseSettings settings = freshDatabase();
    database = Database.open(settings);
    RecordingJob before = new RecordingJob();
    scheduler = Schedulers.create(database, "flotilla", false, 2, Map.of(RecordingJob.class, before));
    scheduler.start();
    JobDetail detail = promoteJob("pos@3f2a1c");
    scheduler.scheduleJob(detail, at(Instant.now().plusSeconds(2), detail));
    scheduler.shutdown(true);
    database.close();
    assertThat(before.fired.getCount()).as("fired before the restart").isEqualTo(1);

    database = Database.open(settings);
    RecordingJob after = new RecordingJob();
    scheduler = Schedulers.create(database, "flotilla", false, 2, Map.of(RecordingJob.class, after));
    scheduler.start();

    assertThat(after.fired.await(20, TimeUnit.SECONDS)).as("fired after the restart").isTrue();
    assertThat(after.rollouts).containsExactly("pos@3f2a1c");
  }

  @Test
  void aStoredFreezeCalendarHoldsATriggerBackUntilTheFreezeEnds() throws Exception {
    database = Database.open(freshDatabase());
    scheduler = Schedulers.create(database, "flotilla", false, 1, Map.of(RecordingJob.class, new RecordingJob()));
    Instant now = Instant.now();
    Instant thaw = now.plus(Duration.ofDays(14)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    scheduler.addCalendar("fleet-freezes", new FreezeCalendar(List.of(new Freeze("peak", now.minusSeconds(60), thaw, "peak"))),
        false, false);

    JobDetail detail = promoteJob("pos@3f2a1c");
    Trigger everyMinute = TriggerBuilder.newTrigger().withIdentity("poll", "sync").forJob(detail)
        .startAt(Date.from(now.plusSeconds(1)))
        .withSchedule(SimpleScheduleBuilder.repeatMinutelyForever())
        .modifiedByCalendar("fleet-freezes").build();
    scheduler.scheduleJob(detail, everyMinute);

    // Read back from the job store: the calendar went through the database and still excludes the span.
    Date next = scheduler.getTrigger(TriggerKey.triggerKey("poll", "sync")).getNextFireTime();
    assertThat(next.toInstant()).isAfterOrEqualTo(thaw).isBefore(thaw.plusSeconds(61));
    assertThat(scheduler.getCalendar("fleet-freezes").isTimeIncluded(now.plusSeconds(3600).toEpochMilli())).isFalse();
    assertThat(scheduler.getJobDetail(JobKey.jobKey("promote-pos@3f2a1c", "promotions"))).isNotNull();
  }

  @Test
  void aPreviewQueuedBeforeAStopRunsAfterTheNextStartWithItsPullRequest() throws Exception {
    DatabaseSettings settings = freshDatabase();
    database = Database.open(settings);
    List<String> previewed = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    EngineJobs.PreviewJob job = new EngineJobs.PreviewJob((repo, number, base, head, why) -> {
      previewed.add(repo + "#" + number + " " + base + ".." + head + " (" + why + ")");
      ran.countDown();
    });
    scheduler = Schedulers.create(database, "flotilla", false, 2, Map.of(EngineJobs.PreviewJob.class, job));
    // Queued while the scheduler does not run: as a webhook answered just before a crash.
    JobDetail detail = EngineJobs.PreviewJob.detail("flotilla", "acme/fleet", 7, "b".repeat(40), "h".repeat(40), "webhook pull_request d-1");
    scheduler.scheduleJob(detail, java.util.Set.of(EngineJobs.PreviewJob.now(detail)), true);
    scheduler.shutdown(false);
    database.close();

    database = Database.open(settings);
    scheduler = Schedulers.create(database, "flotilla", false, 2, Map.of(EngineJobs.PreviewJob.class, job));
    scheduler.start();

    assertThat(ran.await(20, TimeUnit.SECONDS)).as("the preview ran after the restart").isTrue();
    assertThat(previewed).containsExactly("acme/fleet#7 " + "b".repeat(40) + ".." + "h".repeat(40) + " (webhook pull_request d-1)");
    assertThat(detail.requestsRecovery()).as("run again when a crash interrupts it").isTrue();
  }

  @Test
  void previewsRunOneAtATimeAndOneDueMeanwhileRunsLater() throws Exception {
    database = Database.open(freshDatabase());
    java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    CountDownLatch both = new CountDownLatch(2);
    EngineJobs.PreviewJob job = new EngineJobs.PreviewJob((repo, number, base, head, why) -> {
      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
      Thread.sleep(500);
      inside.decrementAndGet();
      both.countDown();
    });
    scheduler = Schedulers.create(database, "flotilla", false, 3, Map.of(EngineJobs.PreviewJob.class, job));
    scheduler.start();

    for (int number : new int[] {1, 2}) {
      JobDetail detail = EngineJobs.PreviewJob.detail("flotilla", "acme/fleet", number, "b".repeat(40), "h".repeat(40), "test");
      scheduler.scheduleJob(detail, java.util.Set.of(EngineJobs.PreviewJob.now(detail)), true);
    }

    assertThat(both.await(30, TimeUnit.SECONDS)).as("both previews ran").isTrue();
    assertThat(most.get()).as("never two at once").isEqualTo(1);
  }
}
