package dev.flotilla.store;

import dev.flotilla.engine.port.AuditEntry;
import dev.flotilla.engine.port.AuditFilter;
import dev.flotilla.engine.port.AuditRecord;
import dev.flotilla.engine.port.Approval;
import dev.flotilla.engine.port.ScheduledPromotion;
import dev.flotilla.engine.port.StoredRelease;
import dev.flotilla.engine.port.SyncState;
import dev.flotilla.engine.port.DeliveryIntent;
import dev.flotilla.engine.port.RecordedSignals;
import dev.flotilla.engine.port.StoredReport;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.engine.port.RolloutHead;
import dev.flotilla.engine.port.VersionedRollout;
import dev.flotilla.engine.port.RolloutFilter;
import dev.flotilla.engine.port.StoreException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.fleet.WaveSpec;
import dev.flotilla.rollout.PlannedSite;
import dev.flotilla.rollout.PlannedWave;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutPlan;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.SiteProgress;
import dev.flotilla.rollout.SiteStatus;
import java.time.ZoneOffset;
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

  /** A running rollout of {@code sites} push sites in one wave, as the state machine would start it. */
  static Rollout rollout(String id, String app, int sites) {
    List<PlannedSite> planned = java.util.stream.IntStream.range(0, sites)
        .mapToObj(i -> new PlannedSite(String.format("site-%05d", i), Delivery.PUSH, ZoneOffset.UTC)).toList();
    WaveSpec spec = new WaveSpec("all", new SiteSelector(List.of("dc"), null, null, null, null), null, null, null, 100,
        java.time.Duration.ofMinutes(10));
    RolloutPlan plan = new RolloutPlan("default", RolloutPolicy.OnFailure.HALT, List.of(new PlannedWave("all", spec, planned)));
    return Rollout.queued(id, app, "3f2a1c0d", "0000aaaa", plan, T0).withState(RolloutState.RUNNING, "");
  }

  static Rollout rollout(String id, String app) {
    return rollout(id, app, 3);
  }

  private boolean insert(Rollout r) throws StoreException {
    return database.transactions().inTransaction(c -> rollouts.insert(c, r, T0));
  }

  private boolean update(VersionedRollout before, Rollout next) throws StoreException {
    return database.transactions().inTransaction(c -> rollouts.update(c, before.rollout(), before.version(), next, T0.plusSeconds(1)));
  }

  @Test
  void migrationsCreateTheSchemaOnceAndReopeningKeepsData() throws Exception {
    insert(rollout("pos-3f2a1c", "pos"));
    DatabaseSettings settings = database.settings();
    database.close();

    database = Database.open(settings);
    assertThat(new JdbcRolloutStore(database.transactions()).get("pos-3f2a1c")).isPresent();
    assertThat(appliedMigrations()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15");
  }

  @Test
  void aDriftCheckIsRecordedPerSiteAndAppAndReplacedByTheNext() throws Exception {
    JdbcDriftStore drift = new JdbcDriftStore(database.transactions());
    var lines = List.of("Deployment/web/web: spec.replicas: want 2, live 7", "ConfigMap/web/conf: missing from the cluster");
    var first = new dev.flotilla.drift.SiteDrift("dc-1", "web", "3f2a1c0d", 2, lines, T0, T0, null);
    var other = new dev.flotilla.drift.SiteDrift("dc-2", "web", "3f2a1c0d", 0, List.of(), T0, null, null);
    database.transactions().inTransaction(u -> {
      drift.put(u, first);
      drift.put(u, other);
      return null;
    });
    assertThat(read(drift, "dc-1")).contains(first);

    var healed = new dev.flotilla.drift.SiteDrift("dc-1", "web", "3f2a1c0d", 0, List.of(), T0.plusSeconds(180), null, T0);
    database.transactions().inTransaction(u -> {
      drift.put(u, healed);
      return null;
    });

    assertThat(drift.all()).containsExactly(healed, other);
    assertThat(drift.of("web")).containsExactly(healed, other);
    assertThat(drift.of("pos")).isEmpty();
    assertThat(read(drift, "dc-3")).isEmpty();
  }

  private Optional<dev.flotilla.drift.SiteDrift> read(JdbcDriftStore drift, String site) throws StoreException {
    return database.transactions().inTransaction(u -> drift.get(u, site, "web"));
  }

  @Test
  void anAppAtASiteIsQuietOnlyWithoutADeliveryWaitingOrOneSinceTheGivenTime() throws Exception {
    JdbcOutbox outbox = new JdbcOutbox(database.transactions(), rollouts.meter());
    database.transactions().inTransaction(u -> {
      outbox.add(u, List.of(DeliveryIntent.decided("web-1", "canary", "dc-1", "web", "r1", "push", T0)), T0);
      return null;
    });
    assertThat(quiet(outbox, "dc-1", T0.minusSeconds(600)))
        .as("a delivery waits").isFalse();
    assertThat(quiet(outbox, "dc-2", T0.minusSeconds(600))).isTrue();

    var claimed = outbox.claim("me", T0, T0.plusSeconds(60), 10);
    outbox.finish(List.of(new dev.flotilla.engine.port.Outbox.Outcome(claimed.get(0), null, null)), T0.plusSeconds(5));

    assertThat(quiet(outbox, "dc-1", T0))
        .as("carried out after the time given").isFalse();
    assertThat(quiet(outbox, "dc-1", T0.plusSeconds(6))).isTrue();
  }

  private boolean quiet(JdbcOutbox outbox, String site, Instant since) throws StoreException {
    Boolean quiet = database.transactions().inTransaction(u -> outbox.quietSince(u, "web", site, since));
    return quiet;
  }

  @Test
  void eachSitesTrustVersionIsKeptWithSinceWhenAndSitesWithATokenButNoReportAreListed() throws Exception {
    var tokens = new JdbcSiteTokens(database.transactions(), java.time.Clock.fixed(T0, ZoneOffset.UTC));
    tokens.put("edge-1", "a".repeat(64));
    tokens.put("edge-2", "b".repeat(64));
    var reports = new JdbcAgentReports(database.transactions());

    reports.trust("edge-1", new dev.flotilla.delivery.pull.SiteTrust(1, null), T0);
    reports.trust("edge-1", new dev.flotilla.delivery.pull.SiteTrust(2, null), T0.plusSeconds(60));
    reports.trust("edge-1", new dev.flotilla.delivery.pull.SiteTrust(2, "trust version 3 rejected: below-threshold"), T0.plusSeconds(120));
    reports.trust("edge-9", new dev.flotilla.delivery.pull.SiteTrust(1, null), T0.plusSeconds(5));

    assertThat(reports.trust()).containsExactly(
        new dev.flotilla.delivery.pull.AcknowledgedTrust("edge-1", 2, "trust version 3 rejected: below-threshold", T0.plusSeconds(60),
            T0.plusSeconds(120)),
        new dev.flotilla.delivery.pull.AcknowledgedTrust("edge-2", null, null, null, null),
        new dev.flotilla.delivery.pull.AcknowledgedTrust("edge-9", 1, null, T0.plusSeconds(5), T0.plusSeconds(5)));
  }

  @Test
  void tokensAreFoundByHashAndNamesAreUnique() throws Exception {
    JdbcTokens tokens = new JdbcTokens(database.transactions());
    assertThat(tokens.any()).isFalse();

    assertThat(tokens.add(new dev.flotilla.engine.port.AccessToken("ada", "admin", "a".repeat(64), T0))).isTrue();
    assertThat(tokens.add(new dev.flotilla.engine.port.AccessToken("ada", "viewer", "b".repeat(64), T0))).isFalse();

    assertThat(tokens.any()).isTrue();
    assertThat(tokens.byHash("a".repeat(64))).hasValueSatisfying(t -> assertThat(t.role()).isEqualTo("admin"));
    assertThat(tokens.byHash("b".repeat(64))).isEmpty();
    assertThat(tokens.remove("ada")).isTrue();
    assertThat(tokens.remove("ada")).isFalse();
    assertThat(tokens.all()).isEmpty();
  }

  @Test
  void aQuarantinedItemIsRecordedOnce() throws Exception {
    JdbcQuarantine quarantine = new JdbcQuarantine(database.transactions());
    dev.flotilla.engine.port.Quarantined item = new dev.flotilla.engine.port.Quarantined("rollout", "pos-3f2a1c", "x".repeat(5000), T0);

    assertThat(quarantine.add(item)).isTrue();
    assertThat(quarantine.add(item)).isFalse();

    assertThat(quarantine.all()).singleElement().satisfies(q -> assertThat(q.reason()).hasSize(2000));
    assertThat(quarantine.remove("rollout", "pos-3f2a1c")).isTrue();
    assertThat(quarantine.all()).isEmpty();
  }

  @Test
  void aWebhookDeliveryIsFirstSeenOnceAndForgottenWhenOld() throws Exception {
    JdbcWebhookDeliveries deliveries = new JdbcWebhookDeliveries(database.transactions());
    java.time.Instant at = java.time.Instant.parse("2026-12-10T10:00:00Z");

    assertThat(deliveries.firstSeen("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "push", at)).isTrue();
    assertThat(deliveries.firstSeen("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "push", at.plusSeconds(5))).isFalse();
    assertThat(deliveries.firstSeen("gitea", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "push", at)).isTrue();
    assertThat(deliveries.firstSeen("github", "later", "status", at.plusSeconds(3600))).isTrue();

    assertThat(deliveries.forgetBefore(at.plusSeconds(60))).isEqualTo(2);
    assertThat(deliveries.firstSeen("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "push", at.plusSeconds(7200))).isTrue();
    assertThat(deliveries.firstSeen("github", "later", "status", at.plusSeconds(7200))).isFalse();
  }

  static dev.flotilla.engine.port.SyncAttempt attempt(String branch, Instant at, String revision, String outcome, String error) {
    return dev.flotilla.engine.port.SyncAttempt.once("https://git.example.com/fleet.git", branch, at, revision, outcome, error,
        List.of(), Map.of(), "engine-a");
  }

  private List<dev.flotilla.engine.port.SyncAttempt> attemptsOf(JdbcSyncAttempts attempts, String branch, int limit) throws StoreException {
    return attempts.recent("https://git.example.com/fleet.git", branch, limit);
  }

  @Test
  void syncAttemptsReadBackNewestFirstWithTheirProblemsAndFailedReleases() throws Exception {
    JdbcSyncAttempts attempts = new JdbcSyncAttempts(database.transactions());
    var synced = attempt("main", T0, "3f2a1c0d", "synced", null);
    var invalid = dev.flotilla.engine.port.SyncAttempt.once("https://git.example.com/fleet.git", "main", T0.plusSeconds(30),
        "4e5f6a7b", "invalid", "revision 4e5f6a7b is invalid (1 problems)", List.of("sites/broken.yaml:6: spec.tiree: unknown field"),
        Map.of(), "engine-b");
    var failedRender = dev.flotilla.engine.port.SyncAttempt.once("https://git.example.com/fleet.git", "main", T0.plusSeconds(60),
        "5a6b7c8d", "synced", null, List.of(), Map.of("web", "kustomize: missing.yaml: no such file", "api", "overlay edge missing"),
        "engine-a");
    var otherBranch = attempt("release", T0.plusSeconds(90), "6b7c8d9e", "synced", null);
    for (var a : List.of(synced, invalid, failedRender, otherBranch)) attempts.record(a);

    assertThat(attemptsOf(attempts, "main", 10)).containsExactly(failedRender, invalid, synced);
    assertThat(attemptsOf(attempts, "main", 2)).containsExactly(failedRender, invalid);
    assertThat(attemptsOf(attempts, "release", 10)).containsExactly(otherBranch);
    assertThat(attemptsOf(attempts, "gone", 10)).isEmpty();
  }

  @Test
  void aSyncAttemptThatRepeatsTheNewestIsFoldedIntoItWithACountAndALastTime() throws Exception {
    JdbcSyncAttempts attempts = new JdbcSyncAttempts(database.transactions());
    String unreachable = "fetch https://git.example.com/fleet.git failed: connection refused";
    attempts.record(attempt("main", T0, "3f2a1c0d", "synced", null));
    for (int i = 0; i < 3; i++) attempts.record(attempt("main", T0.plusSeconds(30 + 30 * i), null, "failed", unreachable));
    attempts.record(dev.flotilla.engine.port.SyncAttempt.once("https://git.example.com/fleet.git", "main", T0.plusSeconds(120), null,
        "failed", unreachable, List.of(), Map.of(), "engine-b"));

    var newest = attemptsOf(attempts, "main", 10);
    assertThat(newest).hasSize(2);
    assertThat(newest.get(0).count()).isEqualTo(4);
    assertThat(newest.get(0).at()).isEqualTo(T0.plusSeconds(30));
    assertThat(newest.get(0).lastAt()).isEqualTo(T0.plusSeconds(120));
    assertThat(newest.get(0).replica()).as("the replica that saw it last").isEqualTo("engine-b");
    assertThat(newest.get(1).count()).isEqualTo(1);
  }

  @Test
  void aSyncAttemptIsFoldedOnlyIntoTheNewestAndOnlyWhenItRepeatsItExactly() throws Exception {
    JdbcSyncAttempts attempts = new JdbcSyncAttempts(database.transactions());
    attempts.record(attempt("main", T0, null, "failed", "connection refused"));
    attempts.record(attempt("main", T0.plusSeconds(30), null, "failed", "connection timed out"));
    attempts.record(attempt("main", T0.plusSeconds(60), null, "failed", "connection refused"));
    attempts.record(attempt("main", T0.plusSeconds(90), "3f2a1c0d", "unchanged", null));
    attempts.record(attempt("main", T0.plusSeconds(120), "4e5f6a7b", "unchanged", null));
    attempts.record(attempt("release", T0.plusSeconds(150), "4e5f6a7b", "unchanged", null));

    assertThat(attemptsOf(attempts, "main", 10)).extracting(a -> a.error() + "/" + a.revision() + "/" + a.count())
        .containsExactly("null/4e5f6a7b/1", "null/3f2a1c0d/1", "connection refused/null/1", "connection timed out/null/1",
            "connection refused/null/1");
  }

  @Test
  void onlyTheNewestSyncAttemptsAreKeptWhicheverTheBranch() throws Exception {
    JdbcSyncAttempts attempts = new JdbcSyncAttempts(database.transactions(), 3);
    for (int i = 0; i < 5; i++) attempts.record(attempt("main", T0.plusSeconds(i), "rev" + i, "synced", null));
    for (int i = 0; i < 50; i++) attempts.record(attempt("main", T0.plusSeconds(10 + i), "rev4", "unchanged", null));

    assertThat(attemptsOf(attempts, "main", 10)).extracting(a -> a.revision() + "/" + a.outcome() + "/" + a.count())
        .containsExactly("rev4/unchanged/50", "rev4/synced/1", "rev3/synced/1");
    attempts.record(attempt("release", T0.plusSeconds(100), "rev9", "synced", null));
    assertThat(count("SELECT COUNT(*) FROM sync_attempts")).isEqualTo(3);
    assertThat(attemptsOf(attempts, "main", 10)).extracting(a -> a.revision() + "/" + a.outcome())
        .containsExactly("rev4/unchanged", "rev4/synced");
  }

  @Test
  void aSyncAttemptWithThousandsOfProblemsIsStoredBounded() throws Exception {
    JdbcSyncAttempts attempts = new JdbcSyncAttempts(database.transactions());
    List<String> problems = java.util.stream.IntStream.range(0, 5000)
        .mapToObj(i -> "sites/site-" + i + ".yaml:3: spec.tier: unknown tier 'x'" + (i == 0 ? "y".repeat(5000) : "")).toList();
    var huge = dev.flotilla.engine.port.SyncAttempt.once("https://git.example.com/fleet.git", "main", T0, "3f2a1c0d", "invalid",
        "e".repeat(100_000), problems, Map.of("web", "r".repeat(100_000)), "engine-a");

    attempts.record(huge);
    attempts.record(huge);

    var stored = attemptsOf(attempts, "main", 1).get(0);
    assertThat(stored.count()).as("a repeat of a bounded attempt is still a repeat").isEqualTo(2);
    assertThat(stored.error()).hasSize(dev.flotilla.engine.port.SyncAttempt.MAX_ERROR);
    assertThat(stored.problems()).hasSize(dev.flotilla.engine.port.SyncAttempt.MAX_PROBLEMS)
        .endsWith("... and 4901 more problems");
    assertThat(stored.problems().get(0)).hasSize(dev.flotilla.engine.port.SyncAttempt.MAX_LINE).startsWith("sites/site-0.yaml:3:");
    assertThat(stored.failedReleases().get("web")).hasSize(dev.flotilla.engine.port.SyncAttempt.MAX_LINE);
  }

  @Test
  void quartzTablesExistEmpty() throws Exception {
    for (String table : List.of("QRTZ_JOB_DETAILS", "QRTZ_TRIGGERS", "QRTZ_CRON_TRIGGERS", "QRTZ_SIMPLE_TRIGGERS",
        "QRTZ_CALENDARS", "QRTZ_FIRED_TRIGGERS", "QRTZ_SCHEDULER_STATE", "QRTZ_LOCKS")) {
      assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
    }
  }

  @Test
  void insertedRolloutReadsBackEqualWithARowPerSite() throws Exception {
    Rollout r = rollout("pos-3f2a1c", "pos", 2_000);
    assertThat(insert(r)).isTrue();

    VersionedRollout read = rollouts.get("pos-3f2a1c").orElseThrow();
    assertThat(read.rollout()).isEqualTo(r);
    assertThat(read.version()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM rollout_sites WHERE rollout_id = 'pos-3f2a1c'")).isEqualTo(2_000);
  }

  @Test
  void unknownRolloutIsEmpty() throws Exception {
    assertThat(rollouts.get("nope")).isEmpty();
  }

  @Test
  void insertingAnExistingIdWritesNothing() throws Exception {
    assertThat(insert(rollout("pos-3f2a1c", "pos"))).isTrue();
    assertThat(insert(rollout("pos-3f2a1c", "pos").withState(RolloutState.HALTED, "other"))).isFalse();
    assertThat(rollouts.get("pos-3f2a1c").orElseThrow().rollout().state()).isEqualTo(RolloutState.RUNNING);
  }

  @Test
  void updateAtTheExpectedVersionStoresTheNextVersion() throws Exception {
    insert(rollout("pos-3f2a1c", "pos"));
    VersionedRollout first = rollouts.get("pos-3f2a1c").orElseThrow();
    Rollout next = first.rollout().withState(RolloutState.PAUSED, "paused by alice");

    assertThat(update(first, next)).isTrue();
    assertThat(rollouts.get("pos-3f2a1c")).contains(new VersionedRollout(next, 2));
  }

  @Test
  void anUpdateWritesOnlyTheSitesThatChanged() throws Exception {
    insert(rollout("pos-3f2a1c", "pos", 5_000));
    VersionedRollout first = rollouts.get("pos-3f2a1c").orElseThrow();
    Map<String, SiteProgress> sites = new java.util.TreeMap<>(first.rollout().sites());
    sites.put("site-00042", new SiteProgress(SiteStatus.UPDATING, T0, null, null, null, ""));
    Rollout r = first.rollout();
    Rollout next = new Rollout(r.id(), r.app(), r.revision(), r.lastGoodRevision(), r.kind(), r.state(), r.reason(), r.plan(),
        r.currentWave(), r.waves(), sites, r.createdAt(), r.haltedAt(), r.rollbackId(), r.retiredAt());
    long rowsBefore = rollouts.meter().rows();

    assertThat(update(first, next)).isTrue();
    // The header row and one site row: not 5,000.
    assertThat(rollouts.meter().rows() - rowsBefore).isEqualTo(2);
    assertThat(rollouts.get("pos-3f2a1c").orElseThrow().rollout().site("site-00042").status()).isEqualTo(SiteStatus.UPDATING);
  }

  @Test
  void updateFromAStaleVersionLosesAndChangesNothing() throws Exception {
    insert(rollout("pos-3f2a1c", "pos"));
    VersionedRollout first = rollouts.get("pos-3f2a1c").orElseThrow();
    Rollout winner = first.rollout().withState(RolloutState.PAUSED, "by a");
    Rollout loser = first.rollout().withState(RolloutState.ABORTED, "by b");

    assertThat(update(first, winner)).isTrue();
    assertThat(update(first, loser)).isFalse();
    assertThat(rollouts.get("pos-3f2a1c").orElseThrow().rollout()).isEqualTo(winner);
  }

  @Test
  void updateOfAMissingRolloutReturnsFalse() throws Exception {
    Rollout ghost = rollout("ghost", "pos");
    assertThat(update(new VersionedRollout(ghost, 1), ghost.withState(RolloutState.PAUSED, ""))).isFalse();
  }

  @Test
  void concurrentWritersFromTheSameVersionHaveExactlyOneWinner() throws Exception {
    insert(rollout("pos-3f2a1c", "pos"));
    VersionedRollout first = rollouts.get("pos-3f2a1c").orElseThrow();
    int writers = 6;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        Rollout mine = first.rollout().withState(RolloutState.PAUSED, "writer " + i);
        Callable<Boolean> write = () -> {
          go.await();
          return update(first, mine);
        };
        results.add(pool.submit(write));
      }
      go.countDown();
      int winners = 0;
      for (Future<Boolean> result : results) winners += result.get() ? 1 : 0;
      assertThat(winners).isEqualTo(1);
      assertThat(rollouts.get("pos-3f2a1c").orElseThrow().version()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void liveLeavesOutEndedAndRetiredRolloutsAndHeadsFilter() throws Exception {
    insert(rollout("pos-1", "pos"));
    insert(rollout("pos-2", "pos").withState(RolloutState.SUPERSEDED, "replaced"));
    insert(rollout("telemetry-1", "telemetry").withState(RolloutState.COMPLETED, "done"));
    VersionedRollout done = rollouts.get("telemetry-1").orElseThrow();
    insert(rollout("telemetry-2", "telemetry").withState(RolloutState.COMPLETED, "done"));

    assertThat(rollouts.live()).extracting(RolloutHead::id).containsExactly("pos-1", "telemetry-1", "telemetry-2");
    Rollout retired = new Rollout(done.rollout().id(), done.rollout().app(), done.rollout().revision(), null, done.rollout().kind(),
        done.rollout().state(), "", done.rollout().plan(), 0, done.rollout().waves(), done.rollout().sites(), T0, null, null, T0);
    assertThat(update(done, retired)).isTrue();
    assertThat(rollouts.live()).extracting(RolloutHead::id).containsExactly("pos-1", "telemetry-2");
    assertThat(rollouts.heads(RolloutFilter.all().withApp("pos"), 0, 10)).extracting(RolloutHead::id).containsExactly("pos-1", "pos-2");
    assertThat(rollouts.heads(RolloutFilter.all().withState("COMPLETED"), 0, 1)).hasSize(1);
  }

  @Test
  void rolloutUpdateAndAuditEntryCommitTogether() throws Exception {
    insert(rollout("pos-3f2a1c", "pos"));
    VersionedRollout first = rollouts.get("pos-3f2a1c").orElseThrow();

    database.transactions().inTransaction(connection -> {
      rollouts.update(connection, first.rollout(), first.version(), first.rollout().withState(RolloutState.HALTED, "x"), T0);
      return audit.append(connection, AuditEntry.forRollout(T0.plusSeconds(5), "engine", "pos-3f2a1c", "pos",
          "rollout.halted", "wave canary failed"));
    });

    assertThat(rollouts.get("pos-3f2a1c").orElseThrow().rollout().state()).isEqualTo(RolloutState.HALTED);
    assertThat(audit.list(AuditFilter.all(), 10, 0)).extracting(r -> r.entry().kind()).containsExactly("rollout.halted");
  }

  @Test
  void aFailureInsideATransactionRollsBackEveryWrite() throws Exception {
    insert(rollout("pos-3f2a1c", "pos"));
    VersionedRollout first = rollouts.get("pos-3f2a1c").orElseThrow();

    assertThatThrownBy(() -> database.transactions().inTransaction(connection -> {
      rollouts.update(connection, first.rollout(), first.version(), first.rollout().withState(RolloutState.HALTED, "x"), T0);
      audit.append(connection, AuditEntry.forRollout(T0, "engine", "pos-3f2a1c", "pos", "rollout.halted", "halted"));
      throw new IllegalStateException("the engine changed its mind");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(rollouts.get("pos-3f2a1c")).contains(first);
    assertThat(audit.list(AuditFilter.all(), 10, 0)).isEmpty();
  }

  @Test
  void aDatabaseWrittenByTheEngineBeforeRowsIsMigratedAndReadsTheSame() throws Exception {
    DatabaseSettings settings = freshDatabase();
    Rollout old = rollout("pos-3f2a1c", "pos", 50);
    try (Database bare = Database.openAt(settings, "3")) {
      // Stored format 1: the whole snapshot as one JSON body, as engines up to schema version 3 wrote it.
      ObjectNode body = RolloutRows.json().valueToTree(old);
      body.remove("retiredAt");
      try (Connection c = bare.dataSource().getConnection();
          PreparedStatement insert = c.prepareStatement("INSERT INTO rollouts (id, app, revision, kind, state, version, created_at,"
              + " updated_at, body) VALUES ('pos-3f2a1c', 'pos', '3f2a1c0d', 'RELEASE', 'RUNNING', 7, ?, ?, ?)")) {
        insert.setObject(1, java.time.OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
        insert.setObject(2, java.time.OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
        insert.setString(3, body.toString());
        insert.executeUpdate();
      }
    }
    try (Database upgraded = Database.open(settings)) {
      VersionedRollout read = new JdbcRolloutStore(upgraded.transactions()).get("pos-3f2a1c").orElseThrow();
      assertThat(read.rollout()).isEqualTo(old);
      assertThat(read.version()).isEqualTo(7);
    }
  }

  @Test
  void aRolloutInAFormatThisEngineDoesNotKnowIsRefusedWithItsFormat() throws Exception {
    insert(rollout("pos-3f2a1c", "pos"));
    try (Connection c = database.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE rollouts SET header = REPLACE(header, '\"format\":2', '\"format\":3')");
    }
    assertThatThrownBy(() -> rollouts.get("pos-3f2a1c")).isInstanceOf(StoreException.class)
        .hasMessageContaining("rollout pos-3f2a1c").hasMessageContaining("stored format 3");
  }

  @Test
  void anIntentIsRecordedOnceAndClaimedByOneOwner() throws Exception {
    JdbcOutbox outbox = new JdbcOutbox(database.transactions(), rollouts.meter());
    DeliveryIntent intent = DeliveryIntent.decided("pos-3f2a1c", "canary", "store-1", "pos", "3f2a1c0d", "push", T0);
    database.transactions().inTransaction(c -> {
      outbox.add(c, List.of(intent, intent), T0);
      outbox.add(c, List.of(intent), T0);
      return null;
    });
    assertThat(outbox.pending()).isEqualTo(1);

    List<DeliveryIntent> a = outbox.claim("a", T0, T0.plusSeconds(60), 10);
    List<DeliveryIntent> b = outbox.claim("b", T0, T0.plusSeconds(60), 10);
    assertThat(a).extracting(DeliveryIntent::site).containsExactly("store-1");
    assertThat(b).isEmpty();
    // A's lease ends (it died): B takes the intent, and A's late outcome no longer counts.
    List<DeliveryIntent> taken = outbox.claim("b", T0.plusSeconds(61), T0.plusSeconds(120), 10);
    assertThat(taken).hasSize(1);
    assertThat(outbox.finish(List.of(new JdbcOutbox.Outcome(a.get(0), null, null)), T0.plusSeconds(62))).isZero();
    assertThat(outbox.finish(List.of(new JdbcOutbox.Outcome(taken.get(0), null, null)), T0.plusSeconds(62))).isOne();
    assertThat(outbox.pending()).isZero();
  }

  @Test
  void aFailedAttemptIsRetriedAtItsTimeAndANewerDecisionOvertakesAnOlderOne() throws Exception {
    JdbcOutbox outbox = new JdbcOutbox(database.transactions(), rollouts.meter());
    DeliveryIntent older = DeliveryIntent.decided("pos-1", "canary", "store-1", "pos", "1111", "push", T0);
    DeliveryIntent other = DeliveryIntent.decided("pos-1", "canary", "store-2", "pos", "1111", "push", T0);
    database.transactions().inTransaction(c -> {
      outbox.add(c, List.of(older, other), T0);
      return null;
    });
    DeliveryIntent claimed = outbox.claim("a", T0, T0.plusSeconds(60), 1).get(0);
    outbox.finish(List.of(new JdbcOutbox.Outcome(claimed, "site unreachable", T0.plusSeconds(30))), T0);
    assertThat(outbox.claim("a", T0.plusSeconds(10), T0.plusSeconds(60), 10)).extracting(DeliveryIntent::site).containsExactly("store-2");

    DeliveryIntent newer = DeliveryIntent.decided("pos-2", "canary", "store-1", "pos", "2222", "push", T0.plusSeconds(20));
    database.transactions().inTransaction(c -> {
      outbox.add(c, List.of(newer), T0.plusSeconds(20));
      return null;
    });
    assertThat(outbox.claim("a", T0.plusSeconds(40), T0.plusSeconds(100), 10)).extracting(DeliveryIntent::revision)
        .containsExactly("2222");
  }

  @Test
  void aSiteReportNeverGoesBackInTime() throws Exception {
    JdbcSiteReports reports = new JdbcSiteReports(database.transactions(), rollouts.meter(), database.vendor());
    reports.record(List.of(new StoredReport("store-1", "pos", "2222", "HEALTHY", T0.plusSeconds(10), "", null, null)));
    reports.record(List.of(new StoredReport("store-1", "pos", "1111", "FAILED", T0, "late", null, null)));
    reports.unreachable("store-1", "pos", T0.plusSeconds(20), "connection refused");
    reports.unreachable("store-2", "pos", T0.plusSeconds(20), "connection refused");

    assertThat(reports.of("pos")).extracting(StoredReport::site, StoredReport::revision, StoredReport::health, StoredReport::unreachable)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("store-1", "2222", "HEALTHY", "connection refused"),
            org.assertj.core.groups.Tuple.tuple("store-2", null, "UNKNOWN", "connection refused"));
  }

  @Test
  void gateSignalsAreStoredPerRolloutWithTheirAgeAndForgottenWhenNoLongerWanted() throws Exception {
    JdbcGateSignals signals = new JdbcGateSignals(database.transactions());
    RecordedSignals ci = new RecordedSignals("pos-1", 2, Map.of("ci/build", CiStatus.PENDING), Map.of("ci/build", T0),
        java.util.OptionalDouble.empty(), null, null, T0.plusSeconds(30));
    RecordedSignals analysis = new RecordedSignals("pos-2", 0, Map.of(), Map.of(), java.util.OptionalDouble.of(0.002), null,
        T0.plusSeconds(20), T0.plusSeconds(40));
    signals.put(ci);
    signals.put(analysis);
    assertThat(signals.all()).containsOnlyKeys("pos-1", "pos-2");
    assertThat(signals.all().get("pos-1")).isEqualTo(ci);
    assertThat(signals.all().get("pos-2")).isEqualTo(analysis);

    RecordedSignals passed = new RecordedSignals("pos-1", 2, Map.of("ci/build", CiStatus.PASSED), Map.of("ci/build", T0.plusSeconds(60)),
        java.util.OptionalDouble.empty(), null, null, T0.plusSeconds(60));
    signals.put(passed);
    signals.retain(List.of("pos-1"));
    assertThat(signals.all()).containsExactly(Map.entry("pos-1", passed));
  }

  @Test
  void aPassReadsOnlyTheReportsRecordedSinceItsLastRead() throws Exception {
    JdbcSiteReports reports = new JdbcSiteReports(database.transactions(), rollouts.meter(), database.vendor());
    reports.record(List.of(new StoredReport("store-1", "pos", "1111", "HEALTHY", T0, "", null, null),
        new StoredReport("store-2", "pos", "1111", "HEALTHY", T0, "", null, null),
        new StoredReport("store-1", "kiosk", "aaaa", "HEALTHY", T0, "", null, null)));
    var first = reports.changedSince("pos", -1);
    assertThat(first.reports()).extracting(StoredReport::site).containsExactlyInAnyOrder("store-1", "store-2");

    reports.record(List.of(new StoredReport("store-2", "pos", "2222", "PROGRESSING", T0.plusSeconds(5), "", null, null),
        new StoredReport("store-3", "pos", "2222", "HEALTHY", T0.plusSeconds(5), "", null, null),
        new StoredReport("store-1", "pos", "0000", "HEALTHY", T0.minusSeconds(5), "older than stored: ignored", null, null)));
    var second = reports.changedSince("pos", first.upTo());
    assertThat(second.reports()).extracting(StoredReport::site, StoredReport::revision)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("store-2", "2222"), org.assertj.core.groups.Tuple.tuple("store-3", "2222"));
    assertThat(second.upTo()).isGreaterThan(first.upTo());
    assertThat(reports.changedSince("pos", second.upTo()).reports()).isEmpty();
    assertThat(reports.changedSince("pos", second.upTo()).upTo()).isEqualTo(second.upTo());
    assertThat(reports.changedSince("pos", -1).reports()).hasSize(3);
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
    insert(rollout("pos@1", "pos"));
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
    insert(rollout("pos@1", "pos"));
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
