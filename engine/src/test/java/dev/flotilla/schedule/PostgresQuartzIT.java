package dev.flotilla.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.testing.PostgresServer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quartz.JobDetail;
import org.quartz.Scheduler;

/** Quartz's JDBC job store on a real PostgreSQL server, single and clustered. */
class PostgresQuartzIT extends QuartzContract {
  private static final AtomicInteger databases = new AtomicInteger();
  private static PostgresServer server;

  @BeforeAll
  static void startServer() {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) server.close();
  }

  @Override
  DatabaseSettings freshDatabase() {
    return DatabaseSettings.of(server.createDatabase("quartz_" + databases.incrementAndGet()), PostgresServer.USER, "");
  }

  @Test
  void twoClusteredReplicasRunAJobOnce() throws Exception {
    DatabaseSettings settings = freshDatabase();
    RecordingJob onFirst = new RecordingJob();
    RecordingJob onSecond = new RecordingJob();
    try (Database first = Database.open(settings); Database second = Database.open(settings)) {
      Scheduler replicaA = Schedulers.create(first, "flotilla", true, 2, Map.of(RecordingJob.class, onFirst));
      Scheduler replicaB = Schedulers.create(second, "flotilla", true, 2, Map.of(RecordingJob.class, onSecond));
      try {
        replicaA.start();
        replicaB.start();
        JobDetail detail = promoteJob("pos@3f2a1c");
        replicaA.scheduleJob(detail, at(Instant.now().plusMillis(500), detail));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (onFirst.rollouts.size() + onSecond.rollouts.size() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        // Give a second, wrong firing on the other replica time to show up.
        Thread.sleep(1_500);
        assertThat(onFirst.rollouts.size() + onSecond.rollouts.size()).isEqualTo(1);
      } finally {
        replicaA.shutdown(true);
        replicaB.shutdown(true);
      }
    }
  }
}
