package dev.flotilla.schedule;

import dev.flotilla.store.Database;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * Builds the engine's Quartz scheduler: a JDBC job store (JobStoreTX) in the engine's own database
 * and connection pool, the delegate that fits the database, and jobs from ready-made instances.
 * With {@code clustered}, several engine replicas that share one PostgreSQL run each job once and
 * take over the jobs of a replica that dies; they must all use the same {@code instanceName}.
 */
public final class Schedulers {
  /** How long a trigger may be late before its misfire instruction applies instead of a plain firing. */
  public static final long MISFIRE_THRESHOLD_MS = 60_000;
  /** How often a clustered replica checks in, and so how soon the others notice it died. */
  public static final long CLUSTER_CHECKIN_MS = 5_000;

  private Schedulers() {}

  /**
   * A scheduler in standby: add listeners and calendars, then {@link Scheduler#start()}. Shut it
   * down before closing the database. The pool needs a connection for each worker thread and a
   * few for Quartz's own housekeeping.
   *
   * @param jobs the instance that runs each job class; Quartz constructs none itself
   */
  public static Scheduler create(
      Database db, String instanceName, boolean clustered, int threads, Map<Class<? extends Job>, ? extends Job> jobs)
      throws SchedulerException {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    int needed = threads + 3;
    if (db.settings().maxPoolSize() < needed) {
      throw new IllegalArgumentException("a scheduler with " + threads + " threads needs a connection pool of at least "
          + needed + ", the database has " + db.settings().maxPoolSize());
    }
    String instanceId = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    String dataSourceName = "flotilla-" + instanceName + "-" + instanceId;
    DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PooledConnections(db.dataSource()));

    StdSchedulerFactory factory = new StdSchedulerFactory(properties(db, instanceName, instanceId, dataSourceName,
        clustered, threads));
    Scheduler scheduler = factory.getScheduler();
    // Quartz keeps schedulers in a JVM-wide registry by name and hands back an existing one for the
    // same name; clustered replicas share a name, and tests run several in one JVM. This code keeps
    // its own reference instead, so it takes the scheduler out of that registry.
    SchedulerRepository.getInstance().remove(instanceName);
    scheduler.setJobFactory(new ReadyJobFactory(jobs));
    return scheduler;
  }

  private static Properties properties(
      Database db, String instanceName, String instanceId, String dataSourceName, boolean clustered, int threads) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", instanceName);
    p.setProperty("org.quartz.scheduler.instanceId", instanceId);
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", db.vendor().quartzDelegate());
    p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    // Job data as strings only: nothing is Java-serialized into the database, so a job's data
    // stays readable across releases of the engine.
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(MISFIRE_THRESHOLD_MS));
    p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(clustered));
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(CLUSTER_CHECKIN_MS));
    // Replicas take the trigger-acquisition lock row, so two never acquire the same trigger.
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", Boolean.toString(clustered));
    return p;
  }

  /** This machine's host name (a pod's name in Kubernetes), or {@code localhost} when it has none. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
