package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcReleases;
import dev.flotilla.engine.port.StoredRelease;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash inside the first sync, between its two transactions: the release is recorded, its
 * rollout is not created yet, and the revision is not marked synced. The child-JVM kills of {@link
 * CrashRestartIT} rarely land in that window, so this test builds the state such a kill leaves in
 * the database (embedded H2, the real fleet repo, the real kustomize) and starts the engine on it.
 */
class CrashDuringSyncIT {
  @TempDir Path dir;

  @Test
  void aReleaseRecordedJustBeforeAKillStillGetsItsRolloutWhenTheEngineRestarts() throws Exception {
    String revision = CrashRestartIT.fleetRepo(dir.resolve("fleet"), CrashRestartIT.APPROVAL, 3, 4);
    Path data = dir.resolve("data");
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    try (Database db = Database.open(DatabaseSettings.embedded(data))) {
      assertThat(new JdbcReleases(db.transactions())
          .recordIfNew(new StoredRelease("web", revision, clock.instant(), "NEW", Optional.empty()))).isTrue();
    }

    EngineConfig config = EngineConfig.defaults(dir.resolve("fleet").toString(), data)
        .withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
        .withClock(clock);
    try (SimulatedDelivery sites = SimulatedDelivery.builder(clock).build();
        Engine engine = Engine.start(config, sites, new CiStatuses.Recorded(CiStatus.PASSED))) {
      assertThat(engine.operations().list()).extracting(RolloutView::revision, RolloutView::state)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(revision, "RUNNING"));
    }
  }
}
