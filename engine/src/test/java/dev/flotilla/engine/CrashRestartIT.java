package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.engine.port.Approval;
import dev.flotilla.engine.port.AuditFilter;
import dev.flotilla.engine.port.AuditRecord;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcApprovals;
import dev.flotilla.store.JdbcAuditLog;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.ServerSideApplyDispatcher;
import dev.flotilla.testing.ServeProcess;
import dev.flotilla.testing.SimulatorJournalFile;
import dev.flotilla.testing.SimulatorJournalFile.Apply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3, exactly once, tested for real: {@code flotilla serve} runs in a child JVM (real Git
 * repo, real kustomize, embedded H2, Quartz, the simulated sites and their fsync'd journal, real
 * clock) and is killed with SIGKILL at random points of a rollout, then restarted on the same data
 * folder and port, until the rollout completes. Afterwards the audit log in the child's H2 database
 * and the simulator's journal must show every site updated exactly once, every wave started and
 * promoted exactly once, canary first, and no approval lost.
 *
 * <p>The kill times come from a seeded {@link Random}: the seed is printed, and {@code
 * -Dflotilla.crash.seed=N} replays a run's kill schedule (the engine's own timing still varies).
 */
class CrashRestartIT {
  static final long SEED = Long.getLong("flotilla.crash.seed", System.nanoTime());
  static final String APP = "web";
  static final int MIN_KILLS = 8;
  static final int MIN_KILLS_WHILE_RUNNING = 4;
  static final Duration BOUND = Duration.ofMinutes(3);
  static final Duration STARTUP = Duration.ofSeconds(60);
  static final Pattern WAVE_OF_EVENT = Pattern.compile("^wave (\\S+?):? ");
  static final Pattern BATCH_SITES = Pattern.compile("^wave \\S+: sent \\S+ to (.+?)( \\(.*\\))?$");

  @TempDir Path dir;

  // ---- the fleets

  static final String FLEET = """
      apiVersion: flotilla.dev/v1
      kind: Fleet
      metadata: {name: crash}
      spec:
        tiers:
          - {name: hub, delivery: push}
          - {name: edge, delivery: pull}
      """;

  /**
   * Five waves of one site at a time (40 batches) with health gates; the soaks, which run on while
   * the engine is down, are longer than a restart, so kills land in them too.
   */
  static final String MANY_WAVES = """
      apiVersion: flotilla.dev/v1
      kind: RolloutPolicy
      metadata: {name: default}
      spec:
        waves:
          - name: canary
            selector: {matchLabels: {canary: "true"}}
            gates: {health: true, soak: 4s}
          - name: hubs
            selector: {tiers: [hub]}
            maxUnavailable: 1
            gates: {health: true, soak: 4s}
          - name: edge-pilot
            selector: {matchLabels: {ring: pilot}}
            maxUnavailable: 1
            gates: {health: true, soak: 4s}
          - name: edge-early
            selector: {matchLabels: {ring: early}}
            maxUnavailable: 1
            gates: {health: true, soak: 4s}
          - name: edge
            selector: {tiers: [edge]}
            maxUnavailable: 1
            gates: {health: true}
      """;

  /** A canary whose gate needs a person's approval, then the rest. */
  static final String APPROVAL = """
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
            gates: {health: true}
          - name: edge
            selector: {tiers: [edge]}
            maxUnavailable: 2
            gates: {health: true}
      """;

  /** A fleet repo: {@code hubs} push sites (hub-1 the canary), {@code edges} pull sites in rings pilot, early and late; one app. */
  static String fleetRepo(Path dir, String policy, int hubs, int edges) {
    try (GitFixture git = GitFixture.init(dir)) {
      StringBuilder sites = new StringBuilder();
      for (int i = 1; i <= hubs; i++) {
        sites.append("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata:\n  name: hub-").append(i).append('\n')
            .append(i == 1 ? "  labels: {canary: \"true\"}\n" : "")
            .append("spec:\n  tier: hub\n  timezone: Europe/Paris\n  cluster: {kubeconfig: hub-").append(i).append(".yaml, context: hub-")
            .append(i).append("}\n---\n");
      }
      for (int i = 1; i <= edges; i++) {
        String ring = i <= 4 ? "pilot" : i <= 12 ? "early" : "late";
        sites.append("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata:\n  name: edge-%02d\n  labels: {ring: %s}\n".formatted(i, ring))
            .append("spec: {tier: edge, timezone: Asia/Tokyo}\n---\n");
      }
      git.write("fleet.yaml", FLEET)
          .write("policies/default.yaml", policy)
          .write("sites/sites.yaml", sites.toString())
          .write("apps/web/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n  policy: default\n")
          .write("apps/web/base/kustomization.yaml", "resources: [deploy.yaml]\n")
          .write("apps/web/base/deploy.yaml", dev.flotilla.testing.SmallFleet.deployment("1.0"))
          .write("apps/web/overlays/hub/kustomization.yaml", "resources: [../../base]\nnamespace: web\n")
          .write("apps/web/overlays/edge/kustomization.yaml", "resources: [../../base]\nnamespace: web-edge\n");
      return git.commit("web 1.0");
    }
  }

  ServeProcess serve(Path repo, Path data) {
    return ServeProcess.of(repo, data, ServeProcess.freePort(), dir.resolve("logs"), List.of(
        "--tick-interval", "100", "--sync-interval", "1", "--sim-apply-delay", "50", "--sim-ready-delay", "50",
        "--ci-default", "PASSED",
        // A killed engine's leases on deliveries block its restarted self until they end: 2 s + 2 s, not 60 s + 30 s.
        "--delivery-timeout", "2000"));
  }

  // ---- the tests

  @Test
  void aRolloutKilledAtRandomPointsResumesWithEverySiteUpdatedAndEveryWavePromotedExactlyOnce() throws Exception {
    System.out.println("CrashRestartIT: kill seed " + SEED + " (replay with -Dflotilla.crash.seed=" + SEED + ")");
    Random random = new Random(SEED);
    Path repo = dir.resolve("fleet");
    Path data = dir.resolve("data");
    String revision = fleetRepo(repo, MANY_WAVES, 10, 30);
    ServeProcess engine = serve(repo, data);
    List<String> kills = new ArrayList<>();
    List<Instant> killedAt = new ArrayList<>();
    JsonNode done;
    try {
      killUntilCompleted(engine, random, MIN_KILLS, BOUND, kills, killedAt);
      done = engine.get("/rollouts/" + rolloutId(engine));
      engine.stop();
    } catch (AssertionError | Exception e) {
      System.out.println("CrashRestartIT failed after " + kills.size() + " kills (seed " + SEED + ")\n" + engine.logTail(80));
      throw e;
    } finally {
      engine.close();
    }
    System.out.println("CrashRestartIT: " + kills.size() + " kills, " + engine.starts() + " starts; kills at:\n  "
        + String.join("\n  ", kills));

    assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
    assertThat(done.path("revision").asText()).isEqualTo(revision);
    Map<String, String> waveOfSite = waveOfSite(done);
    assertThat(waveOfSite).hasSize(40);
    assertThat(kills.stream().filter(k -> k.contains(": RUNNING ") || k.startsWith("right after ")))
        .as("kills while the rollout was running (else the test proves little): %s", kills).hasSizeGreaterThanOrEqualTo(MIN_KILLS_WHILE_RUNNING);
    assertThat(kills.stream().filter(k -> k.startsWith("right after ")))
        .as("kills right after a pass decided deliveries: %s", kills).isNotEmpty();
    assertThat(done.path("sites")).allSatisfy(s -> assertThat(s.path("status").asText()).as(s.path("site").asText()).isEqualTo("DONE"));
    assertExactlyOnce(data, done.path("id").asText(), revision, waveOfSite, List.of("canary", "hubs", "edge-pilot", "edge-early", "edge"));
    assertOutboxFinished(data, done.path("id").asText(), waveOfSite, killedAt);
  }

  /**
   * The same with push sites for real: the hubs are applied to through their kubeconfigs, each on
   * its own fabric8 mock API server in this test's JVM (which the kills do not reach, as a real
   * cluster outlives its engine), with a simulated controller rolling out their Deployments; the
   * edge sites stay simulated in the child. A kill between an apply and the record of its outcome
   * makes the restarted engine apply once more (the outbox delivers at least once, and a
   * server-side apply of the same objects changes nothing): so each object may be applied at most
   * once per attempt the outbox counted for its site, and never after its intent was recorded done.
   */
  @Test
  void pushSitesOnMockApiServersAreDeliveredAcrossKillsWithEachDecisionCarriedOutOnce() throws Exception {
    long seed = SEED + 1;
    System.out.println("CrashRestartIT (push): kill seed " + seed + " (replay with -Dflotilla.crash.seed=" + SEED + ": this test uses that seed plus one)");
    Random random = new Random(seed);
    Path repo = dir.resolve("fleet");
    Path data = dir.resolve("data");
    String revision = fleetRepo(repo, MANY_WAVES, PUSH_HUBS, 14);
    List<MockCluster> hubs = new ArrayList<>();
    List<String> kills = new ArrayList<>();
    List<Instant> killedAt = new ArrayList<>();
    JsonNode done;
    ServeProcess engine = null;
    try (Controllers controllers = new Controllers(hubs)) {
      for (int i = 1; i <= PUSH_HUBS; i++) hubs.add(new MockCluster());
      Path kubeconfigs = dir.resolve("kubeconfigs");
      java.nio.file.Files.createDirectories(kubeconfigs);
      for (int i = 1; i <= PUSH_HUBS; i++) {
        java.nio.file.Files.writeString(kubeconfigs.resolve("hub-" + i + ".yaml"), hubs.get(i - 1).kubeconfig("hub-" + i));
      }
      controllers.start();
      engine = ServeProcess.delivering(repo, data, ServeProcess.freePort(), dir.resolve("logs"), List.of(
          "--kubeconfig-dir", kubeconfigs.toString(), "--health-interval", "200",
          "--tick-interval", "100", "--sync-interval", "1", "--sim-apply-delay", "50", "--sim-ready-delay", "50",
          "--ci-default", "PASSED",
          // A cold child JVM's first apply makes the site's client (seconds of CPU on a loaded machine): a
          // 2 s timeout would abandon it at every start. A killed engine's leases then end 20 s after it.
          "--delivery-timeout", String.valueOf(PUSH_DELIVERY_TIMEOUT.toMillis()), "--retry-backoff", "500"));
      try {
        // Lives of 1 to 4 s, so kills land while the rollout runs on an idle machine too (with 3 to 8 s
        // it completed after two). A cold child's first apply takes seconds on a loaded machine; the
        // last life, after the kills, runs to the end, so short lives cannot stall the rollout.
        killUntilCompleted(engine, random, MIN_PUSH_KILLS, PUSH_BOUND, Duration.ofSeconds(1), Duration.ofSeconds(3), kills, killedAt);
        // The rollout can complete while an intent a killed engine had leased waits for its lease to
        // end: its site took the release (a simulated site's given release comes back after a
        // restart; a push site's apply reached the server) before the kill, and reports it. The
        // restarted engine takes the intent once the lease ends and records it done.
        ServeProcess.sleep(PUSH_LEASE.plusSeconds(3));
        done = engine.get("/rollouts/" + rolloutId(engine));
        engine.stop();
      } catch (AssertionError | Exception e) {
        System.out.println("CrashRestartIT (push) failed after " + kills.size() + " kills (seed " + seed + ")\n" + engine.logTail(80));
        throw e;
      }
      System.out.println("CrashRestartIT (push): " + kills.size() + " kills, " + engine.starts() + " starts; kills at:\n  "
          + String.join("\n  ", kills));

      assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
      assertThat(done.path("revision").asText()).isEqualTo(revision);
      assertThat(done.path("sites")).allSatisfy(s -> assertThat(s.path("status").asText()).as(s.path("site").asText()).isEqualTo("DONE"));
      assertThat(kills.stream().filter(k -> k.contains(": RUNNING ") || k.startsWith("right after ")))
          .as("kills while the rollout was running: %s", kills).hasSizeGreaterThanOrEqualTo(MIN_PUSH_KILLS_WHILE_RUNNING);
      String id = done.path("id").asText();
      Map<String, String> waveOfSite = waveOfSite(done);
      assertThat(waveOfSite).hasSize(PUSH_HUBS + 14);
      Map<String, dev.flotilla.testing.OutboxRows.Intent> intents = intentsBySite(data, id);

      List<Apply> pushed = new ArrayList<>();
      for (int i = 1; i <= PUSH_HUBS; i++) {
        String site = "hub-" + i;
        pushed.add(assertPushedOncePerAttempt(site, hubs.get(i - 1), revision, intents.get(site)));
      }
      assertExactlyOnce(data, id, revision, waveOfSite, List.of("canary", "hubs", "edge-pilot", "edge-early", "edge"), pushed);
      assertOutboxFinished(data, id, waveOfSite, killedAt);
    } finally {
      if (engine != null) engine.close();
      hubs.forEach(MockCluster::close);
    }
  }

  static final int PUSH_HUBS = 4;
  static final int MIN_PUSH_KILLS = 5;
  static final Duration PUSH_BOUND = Duration.ofMinutes(6);
  static final int MIN_PUSH_KILLS_WHILE_RUNNING = 3;
  static final Duration PUSH_DELIVERY_TIMEOUT = Duration.ofSeconds(10);
  /** How long a killed engine's lease on an intent outlives it (DeliveryWorkers: the timeout plus as much again, at most 30 s). */
  static final Duration PUSH_LEASE = PUSH_DELIVERY_TIMEOUT.multipliedBy(2);
  static final String WEB_DEPLOYMENT = "/apis/apps/v1/namespaces/web/deployments/web";

  /**
   * Checks one push site's cluster after the run: the Deployment is there with Flotilla's labels and
   * the release's revision; every object the site was sent was applied at least once, at most once
   * per attempt of the site's intent, and never after the intent was recorded done. Returns the
   * site's first apply of the Deployment: when the release reached it.
   */
  static Apply assertPushedOncePerAttempt(String site, MockCluster cluster, String revision,
      dev.flotilla.testing.OutboxRows.Intent intent) {
    assertThat(intent).as("the intent of %s", site).isNotNull();
    var web = cluster.client().apps().deployments().inNamespace("web").withName("web").get();
    assertThat(web).as("the Deployment on %s's cluster", site).isNotNull();
    assertThat(web.getMetadata().getLabels()).as(site).containsEntry("flotilla.dev/site", site).containsEntry("flotilla.dev/app", APP);
    assertThat(web.getMetadata().getAnnotations()).as(site).containsEntry("flotilla.dev/revision", revision);

    List<ServerSideApplyDispatcher.Request> applies = cluster.api().timedRequests().stream()
        .filter(ServerSideApplyDispatcher.Request::isApply).toList();
    Map<String, Long> perObject = applies.stream()
        .collect(Collectors.groupingBy(ServerSideApplyDispatcher.Request::objectPath, TreeMap::new, Collectors.counting()));
    String context = site + ": " + intent + "\napplies:\n  " + applies.stream().map(Object::toString).collect(Collectors.joining("\n  "));
    assertThat(perObject.keySet()).as(context).containsExactlyInAnyOrder(WEB_DEPLOYMENT, "/api/v1/namespaces/flotilla-system",
        "/api/v1/namespaces/flotilla-system/configmaps/flotilla-inventory-web");
    assertThat(perObject).as("applies per object, at most one per attempt\n%s", context)
        .allSatisfy((object, n) -> assertThat(n).as(object).isBetween(1L, (long) intent.attempts()));
    assertThat(applies).as("no apply after the intent was recorded done\n%s", context)
        .allSatisfy(a -> assertThat(a.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).isBeforeOrEqualTo(intent.updatedAt()));
    if (perObject.get(WEB_DEPLOYMENT) > 1) {
      System.out.println("CrashRestartIT (push): " + site + " applied again (an attempt cut by a kill or its timeout): " + perObject
          + ", " + intent);
    }
    Instant first = applies.stream().filter(a -> a.objectPath().equals(WEB_DEPLOYMENT)).findFirst().orElseThrow().at();
    return new Apply(site, APP, revision, intent.rolloutId(), first, "pushed");
  }

  static Map<String, dev.flotilla.testing.OutboxRows.Intent> intentsBySite(Path data, String id) throws Exception {
    try (Database db = Database.open(DatabaseSettings.embedded(data))) {
      return dev.flotilla.testing.OutboxRows.read(db.dataSource()).stream().filter(i -> i.rolloutId().equals(id))
          .collect(Collectors.toMap(dev.flotilla.testing.OutboxRows.Intent::site, i -> i));
    }
  }

  /**
   * The push sites' workload controllers: every 100 ms each cluster's Deployments are given a
   * rolled-out status, as a real cluster's controllers would, while the engine comes and goes.
   */
  static final class Controllers implements AutoCloseable {
    private final List<MockCluster> clusters;
    private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    Controllers(List<MockCluster> clusters) {
      this.clusters = clusters;
    }

    void start() {
      timer.scheduleWithFixedDelay(() -> clusters.forEach(c -> {
        try {
          c.rollOutDeployments();
        } catch (RuntimeException e) {
          System.out.println("CrashRestartIT: a controller round failed: " + e);
        }
      }), 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Stops, and waits for a round under way: the clusters are closed next. */
    @Override
    public void close() throws InterruptedException {
      timer.shutdownNow();
      timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void anApprovalAnsweredJustBeforeAKillIsKeptAndTheRolloutGoesOnPastItsGate() throws Exception {
    Path repo = dir.resolve("fleet");
    Path data = dir.resolve("data");
    String revision = fleetRepo(repo, APPROVAL, 3, 4);
    ServeProcess engine = serve(repo, data);
    JsonNode done;
    String id;
    try {
      engine.start().awaitUp(STARTUP);
      id = rolloutId(awaitRollout(engine, r -> waitsOnApproval(r), Duration.ofSeconds(60)));

      // A restart while the gate waits neither passes nor forgets it.
      engine.kill();
      engine.start().awaitUp(STARTUP);
      ServeProcess.sleep(Duration.ofSeconds(1));
      JsonNode stillWaiting = engine.get("/rollouts/" + id);
      assertThat(waitsOnApproval(stillWaiting)).as("after a restart: %s", stillWaiting).isTrue();

      JsonNode approved = engine.post("/rollouts/" + id + "/approve", "{\"actor\":\"alice\"}");
      engine.kill();
      assertThat(approved.path("id").asText()).isEqualTo(id);

      engine.start().awaitUp(STARTUP);
      done = awaitRollout(engine, r -> r.path("state").asText().equals("COMPLETED"), Duration.ofSeconds(60));
      done = engine.get("/rollouts/" + id);
      engine.stop();
    } catch (AssertionError | Exception e) {
      System.out.println("CrashRestartIT (approval) failed\n" + engine.logTail(80));
      throw e;
    } finally {
      engine.close();
    }

    try (Database db = Database.open(DatabaseSettings.embedded(data))) {
      List<Approval> approvals = new JdbcApprovals(db.transactions()).forRollout(id);
      assertThat(approvals).extracting(Approval::wave, Approval::actor).containsExactly(org.assertj.core.groups.Tuple.tuple("canary", "alice"));
      List<AuditRecord> audit = new JdbcAuditLog(db.transactions()).list(AuditFilter.all().withRolloutId(id).withKind("approved"), 100, 0);
      assertThat(audit).extracting(a -> a.entry().actor()).containsExactly("alice");
    }
    assertExactlyOnce(data, id, revision, waveOfSite(done), List.of("canary", "hubs", "edge"));
  }

  // ---- what the engine says while it runs

  /**
   * Starts the engine, then kills it (SIGKILL) and starts it again, over and over, until at least
   * {@code minKills} kills happened; then lets the last start run until its one rollout completed.
   * Fails after {@code bound}.
   * Every other kill lands right after a pass decided deliveries (its batch-sent entry is in the
   * audit log), while they are being handed to the sites; the others at a random time. Each kill
   * is added to {@code kills} (what the engine was doing) and {@code killedAt}.
   */
  void killUntilCompleted(ServeProcess engine, Random random, int minKills, Duration bound, List<String> kills,
      List<Instant> killedAt) throws Exception {
    killUntilCompleted(engine, random, minKills, bound, Duration.ofMillis(300), Duration.ofMillis(2_200), kills, killedAt);
  }

  /**
   * As above, each life that ends at a random time lasting {@code minLife} plus up to {@code
   * spread}; a kill after a batch waits for one up to {@code minLife + spread}.
   */
  void killUntilCompleted(ServeProcess engine, Random random, int minKills, Duration bound, Duration minLife, Duration spread,
      List<String> kills, List<Instant> killedAt) throws Exception {
    Instant deadline = Instant.now().plus(bound);
    engine.start().awaitUp(STARTUP);
    while (true) {
      boolean afterBatch = kills.size() % 2 == 1;
      Duration batchWait = minLife.plus(spread).plusMillis(500);
      Optional<String> batch = afterBatch ? awaitBatchSent(engine, batchWait) : Optional.empty();
      String before;
      if (batch.isPresent()) {
        before = "right after " + batch.get();
      } else if (afterBatch) {
        before = batchWait.toMillis() + "ms, no batch sent: " + progress(engine);
      } else {
        long life = minLife.toMillis() + random.nextInt((int) spread.toMillis() + 1);
        ServeProcess.sleep(Duration.ofMillis(life));
        before = life + "ms: " + progress(engine);
      }
      killedAt.add(Instant.now());
      engine.kill();
      kills.add(before);
      engine.start().awaitUp(STARTUP);
      boolean completed = isCompleted(engine);
      if (completed && kills.size() >= minKills) return;
      // Enough kills: the last life runs to the end. Lives that keep being cut shorter than a lease
      // plus a delivery on a loaded machine could otherwise stall the last site for good.
      while (!completed && kills.size() >= minKills && Instant.now().isBefore(deadline)) {
        ServeProcess.sleep(Duration.ofMillis(200));
        completed = isCompleted(engine);
      }
      if (completed && kills.size() >= minKills) return;
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError((completed ? "only " + kills.size() + " kills within " + bound
            : "the rollout did not complete within " + bound) + " (" + kills.size() + " kills, seed " + SEED
            + "); now " + progress(engine) + "\nkills: " + String.join("\n  ", kills) + "\n" + engine.logTail(60));
      }
    }
  }

  /**
   * Waits until the audit log has a batch-sent entry newer than any seen so far (the pass that
   * decided it has committed its intents); false if none came within {@code timeout}.
   */
  Optional<String> awaitBatchSent(ServeProcess engine, Duration timeout) throws Exception {
    for (JsonNode old; !(old = engine.get("/audit?limit=1000&after=" + auditSeen)).isEmpty(); ) {
      for (JsonNode e : old) auditSeen = Math.max(auditSeen, e.path("seq").asLong()); // what happened before now does not count
    }
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Optional<String> sent = Optional.empty();
      for (JsonNode e : engine.get("/audit?limit=1000&after=" + auditSeen)) {
        auditSeen = Math.max(auditSeen, e.path("seq").asLong());
        if (e.path("kind").asText().equals("batch-sent")) sent = Optional.of(e.path("message").asText());
      }
      if (sent.isPresent()) return sent;
      ServeProcess.sleep(Duration.ofMillis(2));
    }
    return Optional.empty();
  }

  private long auditSeen;

  static boolean waitsOnApproval(JsonNode rollout) {
    JsonNode canary = rollout.path("waves").path(0);
    return rollout.path("state").asText().equals("RUNNING") && rollout.path("currentWave").asInt() == 0
        && canary.path("phase").asText().equals("GATED") && canary.path("gate").asText("").contains("gate approval");
  }

  static String rolloutId(JsonNode rollout) {
    return rollout.path("id").asText();
  }

  static String rolloutId(ServeProcess engine) throws Exception {
    JsonNode list = engine.get("/rollouts");
    assertThat(list).as("rollouts").hasSize(1);
    return rolloutId(list.get(0));
  }

  static boolean isCompleted(ServeProcess engine) throws Exception {
    JsonNode list = engine.get("/rollouts");
    return list.size() == 1 && list.get(0).path("state").asText().equals("COMPLETED");
  }

  /** "RUNNING wave 2 UPDATING (3 done)" for the kill log, or what prevented reading it. */
  static String progress(ServeProcess engine) {
    try {
      JsonNode list = engine.get("/rollouts");
      if (list.isEmpty()) return "no rollout yet";
      JsonNode r = list.get(0);
      int w = r.path("currentWave").asInt();
      JsonNode wave = r.path("waves").path(w);
      return r.path("state").asText() + " wave " + wave.path("name").asText() + " " + wave.path("phase").asText() + " ("
          + wave.path("done").asInt() + "/" + wave.path("total").asInt() + " done)";
    } catch (Exception | AssertionError e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  static JsonNode awaitRollout(ServeProcess engine, Predicate<JsonNode> there, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      JsonNode list = engine.get("/rollouts");
      if (list.size() == 1) {
        last = engine.get("/rollouts/" + rolloutId(list.get(0)));
        if (there.test(last)) return last;
      }
      ServeProcess.sleep(Duration.ofMillis(100));
    }
    throw new AssertionError("the rollout did not get there within " + timeout + ": " + last);
  }

  static Map<String, String> waveOfSite(JsonNode rollout) {
    Map<String, String> waves = new TreeMap<>();
    for (JsonNode s : rollout.path("sites")) waves.put(s.path("site").asText(), s.path("wave").asText());
    return waves;
  }

  // ---- what the database and the journal say afterwards

  /**
   * Reads the child's H2 database and the simulator's journal and checks invariant 3 (and 1):
   * each site applied the revision exactly once, sent in exactly one batch and confirmed once;
   * each wave started and promoted exactly once, in order; no site of a wave applied before the
   * wave started and the wave before it passed; the rollout completed once.
   */
  static void assertExactlyOnce(Path data, String id, String revision, Map<String, String> waveOfSite, List<String> waves)
      throws Exception {
    assertExactlyOnce(data, id, revision, waveOfSite, waves, List.of());
  }

  /** As above, with {@code pushed}: the applies that sites outside the simulator (push sites on mock API servers) received. */
  static void assertExactlyOnce(Path data, String id, String revision, Map<String, String> waveOfSite, List<String> waves,
      List<Apply> pushed) throws Exception {
    List<AuditRecord> audit;
    try (Database db = Database.open(DatabaseSettings.embedded(data))) {
      audit = new JdbcAuditLog(db.transactions()).list(AuditFilter.all().withRolloutId(id), 100_000, 0);
    }
    List<Apply> journal = new ArrayList<>(SimulatorJournalFile.read(data.resolve("simulated-sites.jsonl")));
    journal.addAll(pushed);
    String context = "rollout " + id + "\naudit:\n  " + audit.stream()
        .map(a -> a.entry().at() + " " + a.entry().kind() + " " + a.entry().message()).collect(Collectors.joining("\n  "))
        + "\njournal:\n  " + journal.stream().map(Apply::toString).collect(Collectors.joining("\n  "));

    // Every site of the plan applied the release, and none applied it twice.
    List<Apply> applies = journal.stream().filter(a -> a.app().equals(APP) && a.revision().equals(revision)).toList();
    Map<String, Long> appliesPerSite = applies.stream().collect(Collectors.groupingBy(Apply::site, TreeMap::new, Collectors.counting()));
    assertThat(appliesPerSite.keySet()).as("sites that applied %s\n%s", revision, context).containsExactlyElementsOf(waveOfSite.keySet());
    assertThat(appliesPerSite).as("applies per site\n%s", context).allSatisfy((site, n) -> assertThat(n).as(site).isEqualTo(1L));
    assertThat(journal).as("journal lines of other releases\n%s", context).hasSameSizeAs(applies);

    // Each wave started once and was promoted once, in the plan's order; the rollout completed once.
    Map<String, List<Instant>> started = waveEvents(audit, "wave-started");
    Map<String, List<Instant>> promoted = waveEvents(audit, "wave-promoted");
    assertThat(started.keySet()).as("waves started\n%s", context).containsExactlyElementsOf(waves);
    assertThat(promoted.keySet()).as("waves promoted\n%s", context).containsExactlyElementsOf(waves);
    assertThat(started).as("wave-started per wave\n%s", context).allSatisfy((w, at) -> assertThat(at).as(w).hasSize(1));
    assertThat(promoted).as("wave-promoted per wave\n%s", context).allSatisfy((w, at) -> assertThat(at).as(w).hasSize(1));
    assertThat(audit.stream().filter(a -> a.entry().kind().equals("completed"))).as("completed\n%s", context).hasSize(1);

    // Each site was sent the release in exactly one batch and confirmed done exactly once.
    Map<String, Long> sent = audit.stream().filter(a -> a.entry().kind().equals("batch-sent"))
        .flatMap(a -> batchSites(a.entry().message()).stream())
        .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    assertThat(sent).as("batches per site\n%s", context).containsOnlyKeys(waveOfSite.keySet())
        .allSatisfy((site, n) -> assertThat(n).as(site).isEqualTo(1L));
    Map<String, Long> confirmed = audit.stream().filter(a -> a.entry().kind().equals("site-done"))
        .flatMap(a -> doneSites(a.entry().message()).stream())
        .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    assertThat(confirmed).as("site-done per site\n%s", context).containsOnlyKeys(waveOfSite.keySet())
        .allSatisfy((site, n) -> assertThat(n).as(site).isEqualTo(1L));

    // Canary first, across every restart: a wave's sites applied after it started and after the
    // wave before it passed, and before it passed itself.
    for (Apply a : applies) {
      String wave = waveOfSite.get(a.site());
      int k = waves.indexOf(wave);
      assertThat(a.at()).as("%s of wave %s applied after the wave started\n%s", a.site(), wave, context)
          .isAfterOrEqualTo(started.get(wave).get(0));
      assertThat(a.at()).as("%s of wave %s applied before the wave passed\n%s", a.site(), wave, context)
          .isBeforeOrEqualTo(promoted.get(wave).get(0));
      if (k > 0) {
        assertThat(a.at()).as("%s of wave %s applied after wave %s passed\n%s", a.site(), wave, waves.get(k - 1), context)
            .isAfterOrEqualTo(promoted.get(waves.get(k - 1)).get(0));
      }
    }
  }

  /**
   * The outbox after the run: no intent left pending, and the rollout's intents one per site, each
   * done. Reports how many intents were stored before a kill and finished after it (carried out by
   * the restarted engine).
   */
  static void assertOutboxFinished(Path data, String id, Map<String, String> waveOfSite, List<Instant> killedAt) throws Exception {
    List<dev.flotilla.testing.OutboxRows.Intent> intents;
    try (Database db = Database.open(DatabaseSettings.embedded(data))) {
      intents = dev.flotilla.testing.OutboxRows.read(db.dataSource());
    }
    String context = "intents:\n  " + intents.stream().map(Object::toString).collect(Collectors.joining("\n  "));
    assertThat(intents).as("intents left pending\n%s", context).allSatisfy(i -> assertThat(i.state()).isIn("DONE", "CANCELLED"));
    List<dev.flotilla.testing.OutboxRows.Intent> ofRollout = intents.stream().filter(i -> i.rolloutId().equals(id)).toList();
    assertThat(ofRollout).extracting(dev.flotilla.testing.OutboxRows.Intent::site).as("intents of %s\n%s", id, context)
        .containsExactlyInAnyOrderElementsOf(waveOfSite.keySet());
    assertThat(ofRollout).as(context).allSatisfy(i -> assertThat(i.state()).isEqualTo("DONE"));
    List<String> acrossKills = ofRollout.stream()
        .filter(i -> killedAt.stream().anyMatch(k -> i.createdAt().isBefore(k) && i.updatedAt().isAfter(k)))
        .map(i -> i.site() + " (attempts " + i.attempts() + ")").toList();
    System.out.println("CrashRestartIT: " + acrossKills.size() + " intents stored before a kill and done after it: " + acrossKills);
  }

  /** The times of the audit events of a kind, per wave named in the message, in the order they were recorded. */
  static Map<String, List<Instant>> waveEvents(List<AuditRecord> audit, String kind) {
    Map<String, List<Instant>> byWave = new LinkedHashMap<>();
    for (AuditRecord a : audit) {
      if (!a.entry().kind().equals(kind)) continue;
      Matcher m = WAVE_OF_EVENT.matcher(a.entry().message());
      if (!m.find()) throw new AssertionError("a " + kind + " event that names no wave: " + a.entry().message());
      byWave.computeIfAbsent(m.group(1), w -> new ArrayList<>()).add(a.entry().at());
    }
    return byWave;
  }

    /** The sites of a {@code site-done} entry: {@code "3 site(s) run REV: a, b, c; not healthy yet: b"}. */
  static List<String> doneSites(String message) {
    String names = message.substring(message.indexOf(": ") + 2);
    int semicolon = names.indexOf("; ");
    return List.of((semicolon < 0 ? names : names.substring(0, semicolon)).split(", "));
  }

static List<String> batchSites(String message) {
    Matcher m = BATCH_SITES.matcher(message);
    if (!m.matches()) throw new AssertionError("a batch-sent event that names no sites: " + message);
    return List.of(m.group(1).split(", "));
  }
}
