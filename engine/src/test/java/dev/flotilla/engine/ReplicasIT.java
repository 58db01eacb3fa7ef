package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.engine.port.AuditFilter;
import dev.flotilla.engine.port.AuditRecord;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcAuditLog;
import dev.flotilla.testing.OutboxRows;
import dev.flotilla.testing.OutboxRows.Intent;
import dev.flotilla.testing.PostgresServer;
import dev.flotilla.testing.ServeProcess;
import dev.flotilla.testing.SharedSites;
import dev.flotilla.testing.SharedSitesServe;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3 across replicas: two engines (child JVMs, each the real {@code Engine} with Quartz's
 * clustered job store, the pass, the outbox's delivery workers and the API) share one PostgreSQL
 * (a throwaway cluster) and a real Git fleet repo rendered with real kustomize, and both tick and
 * deliver the same rollout. Their sites are {@link SharedSites}: one set of sites in the database,
 * so every adapter call (which replica, when) and every apply is recorded in one place. One replica
 * is killed (SIGKILL) or frozen (SIGSTOP past Quartz's cluster check-in and its delivery leases,
 * then SIGCONT) while one of its calls is in flight; afterwards the rollout completed, every site
 * applied the release once, every adapter call was backed by a claim of the outbox (a second call
 * only after a lease ran out, and idempotent), and every wave started and was promoted once, in
 * order.
 */
class ReplicasIT {
  static final Duration STARTUP = Duration.ofSeconds(60);
  static final Duration FINISH = Duration.ofSeconds(45);
  /** Longer than Quartz's check-in (5 s) plus its 7.5 s grace, and than a replica's leases (1 s call timeout + 1 s). */
  static final Duration PAUSE = Duration.ofSeconds(15);
  static final List<String> WAVES = List.of("canary", "hubs", "edge-pilot", "edge");
  static final String POLICY = """
      apiVersion: flotilla.dev/v1
      kind: RolloutPolicy
      metadata: {name: default}
      spec:
        waves:
          - name: canary
            selector: {matchLabels: {canary: "true"}}
            gates: {health: true, approval: true}
          - name: hubs
            selector: {tiers: [hub]}
            maxUnavailable: 1
            gates: {health: true, soak: 1s}
          - name: edge-pilot
            selector: {matchLabels: {ring: pilot}}
            maxUnavailable: 1
            gates: {health: true}
          - name: edge
            selector: {tiers: [edge]}
            maxUnavailable: 2
            gates: {health: true}
      """;

  private static PostgresServer server;

  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (server != null) server.close();
  }

  /** One adapter call as the shared sites recorded it; {@code outcome} is null when the call never finished. */
  record Call(long seq, String engine, String site, Instant at, String outcome) {}

  ServeProcess replica(String name, Path repo, String url) {
    int port = ServeProcess.freePort();
    return ServeProcess.ofMain(SharedSitesServe.class.getName(), List.of("--repo", repo.toString(),
        "--data", dir.resolve("data-" + name).toString(), "--port", Integer.toString(port), "--db-url", url,
        "--db-user", PostgresServer.USER, "--engine", name, "--tick-ms", "200", "--delivery-timeout-ms", "1000",
        "--call-ms", "300", "--ready-ms", "300"), port, dir.resolve("logs-" + name));
  }

  @Test
  void aReplicaKilledWithACallInFlightLeavesTheOtherToFinishTheRolloutDeliveringNoSiteTwice() throws Exception {
    String url = server.createDatabase("replicas_killed");
    SharedSites.createTables(url, PostgresServer.USER);
    Path repo = dir.resolve("fleet");
    String revision = CrashRestartIT.fleetRepo(repo, POLICY, 4, 12);
    ServeProcess e1 = replica("e1", repo, url);
    ServeProcess e2 = replica("e2", repo, url);
    JsonNode done;
    Call caught;
    try {
      startBoth(e1, e2);
      caught = awaitCallInFlight(url, "e1", Duration.ofSeconds(40));
      e1.kill();
      System.out.println("ReplicasIT: e1 killed with its call " + caught + " in flight; then " + CrashRestartIT.progress(e2));
      done = CrashRestartIT.awaitRollout(e2, r -> r.path("state").asText().equals("COMPLETED"), FINISH);
      e2.stop();
    } catch (AssertionError | Exception e) {
      System.out.println("ReplicasIT (kill) failed; e2 says " + CrashRestartIT.progress(e2) + "\ncalls: " + calls(url, revision)
          + "\nintents: " + OutboxRows.read(url, PostgresServer.USER) + "\n" + e1.logTail(60) + "\n" + e2.logTail(60));
      throw e;
    } finally {
      e1.close();
      e2.close();
    }

    Map<String, List<Call>> calls = assertDeliveredOnceAndPromotedOnce(url, revision, done);
    assertThat(calls.get(caught.site())).as("calls of %s, whose call by e1 was cut off", caught.site())
        .anySatisfy(c -> assertThat(c.engine()).isEqualTo("e2"));
  }

  @Test
  void aReplicaFrozenPastItsCheckInAndLeasesThenResumedDeliversNoSiteTwiceAndPromotesNoWaveTwice() throws Exception {
    String url = server.createDatabase("replicas_paused");
    SharedSites.createTables(url, PostgresServer.USER);
    Path repo = dir.resolve("fleet");
    String revision = CrashRestartIT.fleetRepo(repo, POLICY, 4, 12);
    ServeProcess e1 = replica("e1", repo, url);
    ServeProcess e2 = replica("e2", repo, url);
    JsonNode done;
    Call caught;
    try {
      startBoth(e1, e2);
      caught = awaitCallInFlight(url, "e1", Duration.ofSeconds(40));
      e1.pause();
      String before = CrashRestartIT.progress(e2);
      ServeProcess.sleep(PAUSE);
      String during = CrashRestartIT.progress(e2);
      e1.resume();
      System.out.println("ReplicasIT: e1 frozen for " + PAUSE + " with its call " + caught + " in flight; e2 went from " + before
          + " to " + during);
      done = CrashRestartIT.awaitRollout(e2, r -> r.path("state").asText().equals("COMPLETED"), FINISH);
      // The resumed replica agrees, and both run on a while: nothing is delivered or promoted late.
      JsonNode seenByE1 = CrashRestartIT.awaitRollout(e1, r -> r.path("state").asText().equals("COMPLETED"), Duration.ofSeconds(10));
      assertThat(seenByE1.path("id").asText()).isEqualTo(done.path("id").asText());
      ServeProcess.sleep(Duration.ofSeconds(2));
      e1.stop();
      e2.stop();
    } catch (AssertionError | Exception e) {
      System.out.println("ReplicasIT (pause) failed; e2 says " + CrashRestartIT.progress(e2) + "\ncalls: " + calls(url, revision)
          + "\nintents: " + OutboxRows.read(url, PostgresServer.USER) + "\n" + e1.logTail(60) + "\n" + e2.logTail(60));
      throw e;
    } finally {
      if (e1.isAlive()) e1.resume();
      e1.close();
      e2.close();
    }

    Map<String, List<Call>> calls = assertDeliveredOnceAndPromotedOnce(url, revision, done);
    assertThat(calls.get(caught.site())).as("calls of %s, whose call by e1 was frozen", caught.site())
        .anySatisfy(c -> assertThat(c.engine()).isEqualTo("e2"));
  }

  /**
   * Starts both replicas, then approves the canary (the first replica up sends it alone), so the
   * rest of the rollout runs with both replicas ticking and delivering.
   */
  static void startBoth(ServeProcess e1, ServeProcess e2) throws Exception {
    e1.start().awaitUp(STARTUP);
    e2.start().awaitUp(STARTUP);
    JsonNode gated = CrashRestartIT.awaitRollout(e2, CrashRestartIT::waitsOnApproval, Duration.ofSeconds(30));
    e2.post("/rollouts/" + gated.path("id").asText() + "/approve", "{\"actor\":\"replicas-test\"}");
  }

  // ---- watching the shared sites

  /**
   * Waits for a call by {@code engine} that has not finished (a call takes 300 ms, and this looks
   * every 10 ms), so that a signal sent now lands with the call in flight.
   */
  static Call awaitCallInFlight(String url, String engine, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
        PreparedStatement s = c.prepareStatement("SELECT seq, engine, site, at, outcome FROM sim.calls WHERE engine = ?"
            + " AND outcome IS NULL ORDER BY seq DESC LIMIT 1")) {
      while (Instant.now().isBefore(deadline)) {
        s.setString(1, engine);
        try (ResultSet row = s.executeQuery()) {
          if (row.next()) {
            return new Call(row.getLong(1), row.getString(2), row.getString(3), row.getTimestamp(4).toInstant(), row.getString(5));
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("no call by " + engine + " in flight within " + timeout);
  }

  static List<Call> calls(String url, String revision) throws Exception {
    List<Call> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
        PreparedStatement s = c.prepareStatement("SELECT seq, engine, site, at, outcome FROM sim.calls WHERE revision = ? ORDER BY seq")) {
      s.setString(1, revision);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          out.add(new Call(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getTimestamp(4).toInstant(), rows.getString(5)));
        }
      }
    }
    return out;
  }

  /** When each site applied {@code revision}; the table's key makes a second apply impossible, so this is what was applied. */
  static Map<String, Instant> applies(String url, String revision) throws Exception {
    Map<String, Instant> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
        PreparedStatement s = c.prepareStatement("SELECT site, applied_at FROM sim.applies WHERE revision = ?")) {
      s.setString(1, revision);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) out.put(rows.getString(1), rows.getTimestamp(2).toInstant());
      }
    }
    return out;
  }

  // ---- what the outbox, the shared sites and the audit log say afterwards

  /**
   * The rollout completed; every intent is finished (done, or cancelled) and this rollout's are done,
   * one per site; every site applied the release once; no site was called more often than its
   * intent was claimed (a second call only after a lease ran out or a call timed out), and both
   * replicas made calls; every wave started and was promoted once, in order, the rollout completed
   * once, each site was sent in one batch and confirmed once; canary first. Returns the calls per site.
   */
  static Map<String, List<Call>> assertDeliveredOnceAndPromotedOnce(String url, String revision, JsonNode done) throws Exception {
    String id = done.path("id").asText();
    Map<String, String> waveOfSite = CrashRestartIT.waveOfSite(done);
    List<Intent> intents = OutboxRows.read(url, PostgresServer.USER);
    List<Call> calls = calls(url, revision);
    Map<String, Instant> applies = applies(url, revision);
    List<AuditRecord> audit;
    try (Database db = Database.open(DatabaseSettings.of(url, PostgresServer.USER, ""))) {
      audit = new JdbcAuditLog(db.transactions()).list(AuditFilter.all().withRolloutId(id), 100_000, 0);
    }
    Map<String, List<Call>> callsPerSite = calls.stream().collect(Collectors.groupingBy(Call::site, TreeMap::new, Collectors.toList()));
    Map<String, Intent> intentOfSite = intents.stream().filter(i -> i.rolloutId().equals(id))
        .collect(Collectors.toMap(Intent::site, Function.identity()));
    String context = "rollout " + id + "\nintents:\n  " + intents.stream().map(Intent::toString).collect(Collectors.joining("\n  "))
        + "\ncalls:\n  " + calls.stream().map(Call::toString).collect(Collectors.joining("\n  "))
        + "\naudit:\n  " + audit.stream().map(a -> a.entry().at() + " " + a.entry().kind() + " " + a.entry().message())
            .collect(Collectors.joining("\n  "));

    List<String> again = callsPerSite.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .map(e -> e.getKey() + " " + e.getValue().size() + " calls (" + e.getValue().stream().map(c -> c.engine() + ":" + c.outcome())
            .collect(Collectors.joining(", ")) + "), intent attempts " + intentOfSite.get(e.getKey()).attempts())
        .toList();
    System.out.println("ReplicasIT: " + calls.size() + " adapter calls for " + waveOfSite.size() + " sites; calls per replica "
        + calls.stream().collect(Collectors.groupingBy(Call::engine, TreeMap::new, Collectors.counting()))
        + "; sites called more than once (lease ran out or call timed out; idempotent): " + again);

    assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
    assertThat(done.path("revision").asText()).isEqualTo(revision);
    assertThat(intents).as("intents left pending\n%s", context).allSatisfy(i -> assertThat(i.state()).isIn("DONE", "CANCELLED"));
    assertThat(intentOfSite.keySet()).as("intents of the rollout\n%s", context).containsExactlyInAnyOrderElementsOf(waveOfSite.keySet());
    assertThat(intentOfSite.values()).as("intents of the rollout\n%s", context).allSatisfy(i -> assertThat(i.state()).isEqualTo("DONE"));

    assertThat(applies.keySet()).as("sites that applied %s\n%s", revision, context).containsExactlyElementsOf(waveOfSite.keySet());
    assertThat(callsPerSite).as("calls per site, at most one per claim of its intent\n%s", context).allSatisfy((site, c) ->
        assertThat(c.size()).as(site).isLessThanOrEqualTo(intentOfSite.get(site).attempts()));
    assertThat(callsPerSite).as("calls per site\n%s", context).allSatisfy((site, c) ->
        assertThat(c).as(site).filteredOn(x -> "applied".equals(x.outcome())).hasSizeLessThanOrEqualTo(1));
    assertThat(calls).extracting(Call::engine).as("both replicas delivered\n%s", context).contains("e1", "e2");

    Map<String, List<Instant>> started = CrashRestartIT.waveEvents(audit, "wave-started");
    Map<String, List<Instant>> promoted = CrashRestartIT.waveEvents(audit, "wave-promoted");
    assertThat(started.keySet()).as("waves started\n%s", context).containsExactlyElementsOf(WAVES);
    assertThat(promoted.keySet()).as("waves promoted\n%s", context).containsExactlyElementsOf(WAVES);
    assertThat(started).as("wave-started per wave\n%s", context).allSatisfy((w, at) -> assertThat(at).as(w).hasSize(1));
    assertThat(promoted).as("wave-promoted per wave\n%s", context).allSatisfy((w, at) -> assertThat(at).as(w).hasSize(1));
    assertThat(audit.stream().filter(a -> a.entry().kind().equals("completed"))).as("completed\n%s", context).hasSize(1);
    Map<String, Long> sent = audit.stream().filter(a -> a.entry().kind().equals("batch-sent"))
        .flatMap(a -> CrashRestartIT.batchSites(a.entry().message()).stream())
        .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    assertThat(sent).as("batches per site\n%s", context).containsOnlyKeys(waveOfSite.keySet())
        .allSatisfy((site, n) -> assertThat(n).as(site).isEqualTo(1L));
    Map<String, Long> confirmed = audit.stream().filter(a -> a.entry().kind().equals("site-done"))
        .flatMap(a -> CrashRestartIT.doneSites(a.entry().message()).stream())
        .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    assertThat(confirmed).as("site-done per site\n%s", context).containsOnlyKeys(waveOfSite.keySet())
        .allSatisfy((site, n) -> assertThat(n).as(site).isEqualTo(1L));

    for (Map.Entry<String, Instant> a : applies.entrySet()) {
      String wave = waveOfSite.get(a.getKey());
      int k = WAVES.indexOf(wave);
      assertThat(a.getValue()).as("%s of wave %s applied after the wave started\n%s", a.getKey(), wave, context)
          .isAfterOrEqualTo(started.get(wave).get(0));
      assertThat(a.getValue()).as("%s of wave %s applied before the wave passed\n%s", a.getKey(), wave, context)
          .isBeforeOrEqualTo(promoted.get(wave).get(0));
      if (k > 0) {
        assertThat(a.getValue()).as("%s of wave %s applied after wave %s passed\n%s", a.getKey(), wave, WAVES.get(k - 1), context)
            .isAfterOrEqualTo(promoted.get(WAVES.get(k - 1)).get(0));
      }
    }
    return callsPerSite;
  }
}
