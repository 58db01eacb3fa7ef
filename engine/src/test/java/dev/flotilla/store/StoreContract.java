package dev.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database Flotilla runs on must do, whichever vendor: {@code H2StoreIT} and
 * {@code PostgresStoreIT} run these same tests against the real databases.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

  Database database;
  JdbcRolloutStore rollouts;
  JdbcAuditLog audit;

  /** Settings of a fresh, empty database for one test. */
  abstract DatabaseSettings freshDatabase() throws Exception;

  @BeforeEach
  void openDatabase() throws Exception {
    database = Database.open(freshDatabase());
    rollouts = new JdbcRolloutStore(database.transactions());
    audit = new JdbcAuditLog(database.transactions());
  }

  @AfterEach
  void closeDatabase() {
    if (database != null) database.close();
  }

  static StoredRollout rollout(String id, String app, String state) {
    return new StoredRollout(id, app, "3f2a1c0d", "release", state, 0, T0, T0, "{\"waves\":[]}");
  }

  @Test
  void migrationsCreateTheSchemaOnceAndReopeningKeepsData() throws Exception {
    rollouts.insert(rollout("pos@3f2a1c", "pos", "running"));
    DatabaseSettings settings = database.settings();
    database.close();

    database = Database.open(settings);
    assertThat(new JdbcRolloutStore(database.transactions()).get("pos@3f2a1c")).isPresent();
    assertThat(appliedMigrations()).containsExactly("1", "2", "3");
  }

  @Test
  void quartzTablesExistEmpty() throws Exception {
    for (String table : List.of("QRTZ_JOB_DETAILS", "QRTZ_TRIGGERS", "QRTZ_CRON_TRIGGERS", "QRTZ_SIMPLE_TRIGGERS",
        "QRTZ_CALENDARS", "QRTZ_FIRED_TRIGGERS", "QRTZ_SCHEDULER_STATE", "QRTZ_LOCKS")) {
      assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
    }
  }

  @Test
  void insertedRolloutReadsBackFieldForField() throws Exception {
    String largeBody = "{\"sites\":\"" + "x".repeat(2_500_000) + "\"}";
    StoredRollout stored = new StoredRollout("pos@3f2a1c", "pos", "3f2a1c0d", "release", "running", 0,
        T0, T0.plusNanos(1_999), largeBody);
    rollouts.insert(stored);

    StoredRollout read = rollouts.get("pos@3f2a1c").orElseThrow();
    assertThat(read).isEqualTo(stored);
    assertThat(read.updatedAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123457Z"));
    assertThat(read.body()).hasSize(largeBody.length());
  }

  @Test
  void unknownRolloutIsEmpty() throws Exception {
    assertThat(rollouts.get("nope")).isEmpty();
  }

  @Test
  void insertingAnExistingIdIsADuplicateKey() throws Exception {
    rollouts.insert(rollout("pos@3f2a1c", "pos", "running"));
    assertThatThrownBy(() -> rollouts.insert(rollout("pos@3f2a1c", "pos", "running")))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.isDuplicateKey()).isTrue();
          assertThat(e.doing()).isEqualTo("insert rollout pos@3f2a1c");
        });
  }

  @Test
  void updateAtTheExpectedVersionStoresTheNextVersion() throws Exception {
    StoredRollout first = rollout("pos@3f2a1c", "pos", "running");
    rollouts.insert(first);
    StoredRollout next = first.next("halted", "{\"halted\":true}", T0.plusSeconds(60));

    assertThat(rollouts.update(next, 0)).isTrue();
    assertThat(rollouts.get("pos@3f2a1c")).contains(next);
  }

  @Test
  void updateFromAStaleVersionLosesAndChangesNothing() throws Exception {
    StoredRollout first = rollout("pos@3f2a1c", "pos", "running");
    rollouts.insert(first);
    StoredRollout winner = first.next("halted", "{\"by\":\"a\"}", T0.plusSeconds(1));
    StoredRollout loser = first.next("completed", "{\"by\":\"b\"}", T0.plusSeconds(2));

    assertThat(rollouts.update(winner, 0)).isTrue();
    assertThat(rollouts.update(loser, 0)).isFalse();
    assertThat(rollouts.get("pos@3f2a1c")).contains(winner);
  }

  @Test
  void updateOfAMissingRolloutReturnsFalse() throws Exception {
    assertThat(rollouts.update(rollout("ghost", "pos", "running").next("halted", "{}", T0), 0)).isFalse();
  }

  @Test
  void concurrentWritersFromTheSameVersionHaveExactlyOneWinner() throws Exception {
    StoredRollout first = rollout("pos@3f2a1c", "pos", "running");
    rollouts.insert(first);
    int writers = 6;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        StoredRollout mine = first.next("state-" + i, "{\"writer\":" + i + "}", T0.plusSeconds(i));
        Callable<Boolean> write = () -> {
          go.await();
          return rollouts.update(mine, 0);
        };
        results.add(pool.submit(write));
      }
      go.countDown();
      int winners = 0;
      for (Future<Boolean> result : results) winners += result.get() ? 1 : 0;
      assertThat(winners).isEqualTo(1);
      assertThat(rollouts.get("pos@3f2a1c").orElseThrow().version()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listFiltersByAppAndState() throws Exception {
    rollouts.insert(rollout("pos@1", "pos", "running"));
    rollouts.insert(rollout("pos@2", "pos", "completed"));
    rollouts.insert(rollout("telemetry@1", "telemetry", "running"));

    assertThat(rollouts.list(RolloutFilter.all())).extracting(StoredRollout::id)
        .containsExactly("pos@1", "pos@2", "telemetry@1");
    assertThat(rollouts.list(RolloutFilter.all().withApp("pos"))).extracting(StoredRollout::id)
        .containsExactly("pos@1", "pos@2");
    assertThat(rollouts.list(RolloutFilter.all().withState("running"))).extracting(StoredRollout::id)
        .containsExactly("pos@1", "telemetry@1");
    assertThat(rollouts.list(RolloutFilter.all().withApp("pos").withState("running"))).extracting(StoredRollout::id)
        .containsExactly("pos@1");
  }

  @Test
  void rolloutUpdateAndAuditEntryCommitTogether() throws Exception {
    StoredRollout first = rollout("pos@3f2a1c", "pos", "running");
    rollouts.insert(first);
    StoredRollout next = first.next("halted", "{}", T0.plusSeconds(5));

    database.transactions().inTransaction(connection -> {
      rollouts.update(connection, next, 0);
      return audit.append(connection, AuditEntry.forRollout(T0.plusSeconds(5), "engine", "pos@3f2a1c", "pos",
          "rollout.halted", "wave canary failed"));
    });

    assertThat(rollouts.get("pos@3f2a1c").orElseThrow().state()).isEqualTo("halted");
    assertThat(audit.list(AuditFilter.all(), 10, 0)).extracting(r -> r.entry().kind()).containsExactly("rollout.halted");
  }

  @Test
  void aFailureInsideATransactionRollsBackEveryWrite() throws Exception {
    StoredRollout first = rollout("pos@3f2a1c", "pos", "running");
    rollouts.insert(first);

    assertThatThrownBy(() -> database.transactions().inTransaction(connection -> {
      rollouts.update(connection, first.next("halted", "{}", T0), 0);
      audit.append(connection, AuditEntry.forRollout(T0, "engine", "pos@3f2a1c", "pos", "rollout.halted", "halted"));
      throw new IllegalStateException("the engine changed its mind");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(rollouts.get("pos@3f2a1c")).contains(first);
    assertThat(audit.list(AuditFilter.all(), 10, 0)).isEmpty();
  }

  @Test
  void auditEntriesGetIncreasingSequenceNumbersAndReadBackWhole() throws Exception {
    AuditEntry created = AuditEntry.forRollout(T0, "alice", "pos@1", "pos", "rollout.created", "created")
        .withDetails("{\"waves\":4}");
    AuditEntry synced = new AuditEntry(T0.plusSeconds(1), "engine", Optional.empty(), Optional.empty(),
        "sync.done", "synced main at 3f2a1c", Optional.empty());
    long first = audit.append(created);
    long second = audit.append(synced);

    assertThat(second).isGreaterThan(first);
    assertThat(audit.list(AuditFilter.all(), 10, 0))
        .containsExactly(new AuditRecord(first, created), new AuditRecord(second, synced));
  }

  @Test
  void aBatchOfAuditEntriesIsAppendedInOrderInTheCallersTransaction() throws Exception {
    List<AuditEntry> batch = java.util.stream.IntStream.range(0, 50)
        .mapToObj(i -> AuditEntry.forRollout(T0.plusMillis(i), "engine", "pos@1", "pos", "site-done", "site " + i)).toList();

    database.transactions().inTransaction(c -> {
      audit.appendAll(c, batch);
      return null;
    });

    assertThat(audit.list(AuditFilter.all(), 100, 0)).extracting(AuditRecord::entry).containsExactlyElementsOf(batch);
  }

  @Test
  void auditListPagesAfterASequenceNumberAndFilters() throws Exception {
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String rollout = i % 2 == 0 ? "pos@1" : "telemetry@1";
      String app = rollout.substring(0, rollout.indexOf('@'));
      seqs.add(audit.append(AuditEntry.forRollout(T0.plusSeconds(i), "engine", rollout, app, "wave.promoted", "step " + i)));
    }

    List<AuditRecord> firstPage = audit.list(AuditFilter.all(), 2, 0);
    List<AuditRecord> secondPage = audit.list(AuditFilter.all(), 2, firstPage.get(1).seq());
    assertThat(firstPage).extracting(AuditRecord::seq).containsExactly(seqs.get(0), seqs.get(1));
    assertThat(secondPage).extracting(AuditRecord::seq).containsExactly(seqs.get(2), seqs.get(3));
    assertThat(audit.list(AuditFilter.all().withRolloutId("pos@1"), 10, 0)).extracting(r -> r.entry().message())
        .containsExactly("step 0", "step 2", "step 4");
    assertThat(audit.list(AuditFilter.all().withApp("telemetry").withKind("wave.promoted"), 10, 0)).hasSize(2);
  }

  @Test
  void anActorApprovesAWaveOnce() throws Exception {
    rollouts.insert(rollout("pos@1", "pos", "waiting"));
    JdbcApprovals approvals = new JdbcApprovals(database.transactions());
    Approval alice = new Approval("pos@1", "canary", "alice", T0, Optional.of("looks good"));

    assertThat(approvals.add(alice)).isTrue();
    assertThat(approvals.add(new Approval("pos@1", "canary", "alice", T0.plusSeconds(9), Optional.empty()))).isFalse();
    assertThat(approvals.add(new Approval("pos@1", "canary", "bob", T0.plusSeconds(10), Optional.empty()))).isTrue();
    assertThat(approvals.forRollout("pos@1")).extracting(Approval::actor).containsExactly("alice", "bob");
    assertThat(approvals.forRollout("pos@1").get(0)).isEqualTo(alice);
  }

  @Test
  void syncStateIsStoredAndReplaced() throws Exception {
    JdbcSyncState syncState = new JdbcSyncState(database.transactions());
    SyncState failed = new SyncState("https://git.example/fleet.git", "main", Optional.empty(), T0, Optional.of("timeout"));
    SyncState synced = new SyncState("https://git.example/fleet.git", "main", Optional.of("3f2a1c0d"),
        T0.plusSeconds(30), Optional.empty());

    syncState.put(failed);
    assertThat(syncState.get("https://git.example/fleet.git", "main")).contains(failed);
    syncState.put(synced);
    assertThat(syncState.get("https://git.example/fleet.git", "main")).contains(synced);
    assertThat(syncState.get("https://git.example/fleet.git", "other")).isEmpty();
  }

  @Test
  void aReleaseIsRecordedOnceAndItsStateChanges() throws Exception {
    JdbcReleases releases = new JdbcReleases(database.transactions());
    StoredRelease seen = new StoredRelease("pos", "3f2a1c0d", T0, "new", Optional.empty());

    assertThat(releases.recordIfNew(seen)).isTrue();
    assertThat(releases.recordIfNew(new StoredRelease("pos", "3f2a1c0d", T0.plusSeconds(5), "new", Optional.empty())))
        .isFalse();
    assertThat(releases.setState("pos", "3f2a1c0d", "failed", Optional.of("render failed"))).isTrue();
    assertThat(releases.get("pos", "3f2a1c0d"))
        .contains(new StoredRelease("pos", "3f2a1c0d", T0, "failed", Optional.of("render failed")));
    assertThat(releases.forApp("pos")).hasSize(1);
    assertThat(releases.setState("pos", "0000000", "failed", Optional.empty())).isFalse();
  }

  @Test
  void aScheduledPromotionIsMarkedDoneOnce() throws Exception {
    rollouts.insert(rollout("pos@1", "pos", "waiting"));
    JdbcScheduledPromotions promotions = new JdbcScheduledPromotions(database.transactions());
    ScheduledPromotion later = new ScheduledPromotion("p2", "pos@1", T0.plusSeconds(7200), "alice", T0, Optional.empty(),
        Optional.of("canary"));
    ScheduledPromotion sooner = new ScheduledPromotion("p1", "pos@1", T0.plusSeconds(3600), "alice", T0, Optional.empty());
    promotions.insert(later);
    promotions.insert(sooner);

    assertThat(promotions.pending()).containsExactly(sooner, later);
    assertThat(promotions.markDone("p1", T0.plusSeconds(3601))).isTrue();
    assertThat(promotions.markDone("p1", T0.plusSeconds(3602))).isFalse();
    assertThat(promotions.pending()).containsExactly(later);
    assertThat(promotions.get("p1").orElseThrow().doneAt()).contains(T0.plusSeconds(3601));
    assertThat(promotions.forRollout("pos@1")).hasSize(2);
  }

  private List<String> appliedMigrations() throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"");
        ResultSet rows = select.executeQuery()) {
      List<String> versions = new ArrayList<>();
      while (rows.next()) versions.add(rows.getString(1));
      return versions;
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
