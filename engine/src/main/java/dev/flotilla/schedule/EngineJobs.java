package dev.flotilla.schedule;

import dev.flotilla.engine.EngineException;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitSyncException;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's Quartz jobs: thin shells that call into the engine, given their work when built. */
public final class EngineJobs {
  private static final Logger LOG = LoggerFactory.getLogger(EngineJobs.class);

  private EngineJobs() {}

  /**
   * A piece of the engine's work that a job runs: a sync, a pass or a scheduled promotion, which
   * fail with the exceptions of the parts they use. A failure is logged and the next firing retries.
   */
  @FunctionalInterface
  public interface Work {
    void run() throws StoreException, EngineException, SchedulingException, GitSyncException, FleetValidationException;
  }

  /** Work that needs a string from the trigger's job data (for example a promotion id). */
  @FunctionalInterface
  public interface KeyedWork {
    void run(String key) throws StoreException, EngineException, SchedulingException, GitSyncException, FleetValidationException;
  }

  /** Follows the fleet repo: one sync at a time, across every replica of a cluster. */
  @DisallowConcurrentExecution
  public static final class SyncJob implements Job {
    private final Work work;

    public SyncJob(Work work) {
      this.work = work;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      runLogged("sync", work);
    }
  }

  /** One scheduling pass over every rollout; passes never overlap. */
  @DisallowConcurrentExecution
  public static final class TickJob implements Job {
    private final Work work;

    public TickJob(Work work) {
      this.work = work;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      runLogged("tick", work);
    }
  }

  /** A round of drift checks of push sites: one at a time, across every replica of a cluster. */
  @DisallowConcurrentExecution
  public static final class DriftJob implements Job {
    private final Work work;

    public DriftJob(Work work) {
      this.work = work;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      runLogged("drift check", work);
    }
  }

  /** Opens the promotion pull requests that waves wait for: one at a time, across every replica of a cluster. */
  @DisallowConcurrentExecution
  public static final class PromotionRequestJob implements Job {
    private final Work work;

    public PromotionRequestJob(Work work) {
      this.work = work;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      runLogged("promotion pull requests", work);
    }
  }

  /** A scheduled promotion: "advance rollout X past its current gate at time T". */
  public static final class PromotionJob implements Job {
    public static final String PROMOTION_ID = "promotionId";
    private final KeyedWork work;

    public PromotionJob(KeyedWork work) {
      this.work = work;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      String id = context.getMergedJobDataMap().getString(PROMOTION_ID);
      runLogged("promotion " + id, () -> work.run(id));
      // The trigger repeats so that a time excluded by a freeze calendar moves to the freeze's end
      // instead of never firing; once the promotion ran, the job is done for good.
      try {
        context.getScheduler().deleteJob(context.getJobDetail().getKey());
      } catch (org.quartz.SchedulerException e) {
        LOG.warn("promotion {}: could not remove its job; a later firing finds it done: {}", id, e.getMessage());
      }
    }
  }

  /** What a pull request's plan preview needs: the pull request, and why it was asked for. */
  @FunctionalInterface
  public interface PreviewWork {
    void run(String repo, int number, String baseSha, String headSha, String why) throws Exception;
  }

  /**
   * A pull request's plan preview, queued by its webhook: one job per pull request (a newer push
   * replaces a preview still waiting), kept in the job store until it ran, and run again after a
   * crash (recovery requested), so a delivery answered 202 is never lost. One preview runs at a
   * time; another one due meanwhile fires again {@link #BUSY_RETRY_MS} later, leaving Quartz's threads
   * to the sync and the scheduling passes.
   */
  public static final class PreviewJob implements Job {
    public static final String REPO = "repo";
    public static final String NUMBER = "number";
    public static final String BASE = "base";
    public static final String HEAD = "head";
    public static final String WHY = "why";
    static final long BUSY_RETRY_MS = 2_000;
    private final PreviewWork work;
    private final java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock();

    public PreviewJob(PreviewWork work) {
      this.work = work;
    }

    /** The job of pull request {@code number}'s preview, in {@code group}: recovered after a crash. */
    public static JobDetail detail(String group, String repo, int number, String base, String head, String why) {
      return JobBuilder.newJob(PreviewJob.class).withIdentity("preview-" + number, group).requestRecovery(true)
          .usingJobData(REPO, repo).usingJobData(NUMBER, Integer.toString(number)).usingJobData(BASE, base).usingJobData(HEAD, head)
          .usingJobData(WHY, why.length() > 300 ? why.substring(0, 300) : why).build();
    }

    /** Fires {@code job} as soon as a thread is free. */
    public static Trigger now(JobDetail job) {
      return TriggerBuilder.newTrigger().withIdentity(job.getKey().getName(), job.getKey().getGroup()).forJob(job).startNow().build();
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      org.quartz.JobDataMap data = context.getMergedJobDataMap();
      String what = "plan preview of " + data.getString(REPO) + "#" + data.getString(NUMBER);
      if (!running.tryLock()) {
        try {
          context.getScheduler().scheduleJob(TriggerBuilder.newTrigger().forJob(context.getJobDetail().getKey())
              .startAt(new java.util.Date(System.currentTimeMillis() + BUSY_RETRY_MS)).build());
        } catch (org.quartz.SchedulerException e) {
          LOG.warn("{}: another preview is running and this one could not be put off: {}", what, e.getMessage());
        }
        return;
      }
      try {
        work.run(data.getString(REPO), Integer.parseInt(data.getString(NUMBER)), data.getString(BASE), data.getString(HEAD),
            data.getString(WHY));
      } catch (Exception e) {
        // Logged, not retried: a failure the provider sees is already the preview's status; the next push previews again.
        LOG.warn("{} failed: {}", what, e.toString());
      } finally {
        running.unlock();
      }
    }
  }

  private static void runLogged(String what, Work work) throws JobExecutionException {
    try {
      work.run();
    } catch (StoreException | EngineException | SchedulingException | GitSyncException | FleetValidationException
        | RuntimeException e) {
      // Logged and left to the next firing: a failed pass must not stop the schedule.
      LOG.warn("{} failed: {}", what, e.toString(), e);
      throw new JobExecutionException(what + " failed: " + e.getMessage(), e, false);
    }
  }
}
