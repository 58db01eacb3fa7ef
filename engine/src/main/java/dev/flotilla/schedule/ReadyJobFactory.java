package dev.flotilla.schedule;

import java.util.Map;
import java.util.Objects;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/**
 * Hands Quartz the job instances the application built, by job class, instead of letting Quartz
 * construct them by reflection: jobs get their collaborators through their constructors, like
 * everything else. One instance serves every firing, so jobs must be thread-safe (stateless, or
 * annotated {@link org.quartz.DisallowConcurrentExecution}).
 */
public final class ReadyJobFactory implements JobFactory {
  private final Map<Class<? extends Job>, Job> jobs;

  public ReadyJobFactory(Map<Class<? extends Job>, ? extends Job> jobs) {
    jobs.forEach((type, job) -> {
      if (!type.isInstance(job)) {
        throw new IllegalArgumentException("the job registered for " + type.getName() + " is a " + job.getClass().getName());
      }
    });
    this.jobs = Map.copyOf(jobs);
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    Class<? extends Job> type = bundle.getJobDetail().getJobClass();
    Job job = jobs.get(type);
    if (job == null) {
      throw new SchedulerException("no job instance for " + type.getName() + " (job "
          + bundle.getJobDetail().getKey() + "); pass one to Schedulers.create");
    }
    return Objects.requireNonNull(job);
  }
}
