package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.PullDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.delivery.push.ApplySettings;
import dev.flotilla.delivery.push.Pause;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.port.StoredReport;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.store.JdbcSiteTokens;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.PullKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull delivery end to end on real parts: the engine (a real Git fleet repo, the real kustomize,
 * embedded H2, its HTTP server on loopback) publishing signed bundles through its outbox, and three
 * pull sites, each an in-process {@link Agent} with fabric8's mock API server as its cluster. Time
 * is one stepped clock for the engine and the agents.
 */
class PullDeliveryIT {
  static final List<String> SITES = List.of("edge-1", "edge-2", "edge-3");

  @TempDir Path dir;
  GitFixture git;
  SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  int port;
  Engine engine;
  final Map<String, MockCluster> clusters = new HashMap<>();
  final Map<String, Agent> agents = new HashMap<>();
  final Map<String, String> tokens = new HashMap<>();
  final List<String> offline = new ArrayList<>();
  Path trust;

  @BeforeEach
  void start() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    writeFleet();
    git.commit("web r1");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    startEngine();
    JdbcSiteTokens store = new JdbcSiteTokens(engine.database().transactions(), clock);
    for (String site : SITES) tokens.put(site, SiteAuth.issue(store, site, new SecureRandom()));
    trust = PullKeys.writeTrust(dir.resolve("trust.json"), clock.instant());
    for (String site : SITES) {
      clusters.put(site, new MockCluster());
      agents.put(site, agent(site, URI.create("http://127.0.0.1:" + port)));
    }
  }

  void startEngine() throws Exception {
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", port)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
        .withClock(clock);
    engine = Engine.start(config, new PullDelivery(PullDelivery.Settings.defaults(PullKeys.SIGNING, dir.resolve("data"), clock)),
        new CiStatuses.Recorded(CiStatus.PASSED));
  }

  Agent agent(String site, URI engineUri) throws AgentException {
    AgentSettings settings = AgentSettings.of(engineUri, site, tokens.get(site), trust, dir.resolve("agents").resolve(site))
        .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
    return Agent.open(settings, new KubernetesSiteCluster(site, clusters.get(site).client(), ApplySettings.DEFAULTS), clock,
        new SplittableRandom(7), Pause.SLEEP);
  }

  @AfterEach
  void stop() throws Exception {
    agents.values().forEach(Agent::close);
    if (engine != null) engine.close();
    clusters.values().forEach(MockCluster::close);
    git.close();
  }

  void writeFleet() {
    git.write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata: {name: shops}
        spec:
          tiers:
            - {name: edge, delivery: pull}
        """).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata: {name: default}
        spec:
          waves:
            - name: canary
              selector: {names: [edge-1]}
              gates: {health: true}
            - name: edge
              selector: {tiers: [edge]}
              maxUnavailable: 100%
              completion: 50%
        """);
    StringBuilder sites = new StringBuilder();
    for (String s : SITES) {
      sites.append("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata: {name: ").append(s).append("}\n")
          .append("spec: {tier: edge, timezone: Europe/Paris}\n---\n");
    }
    git.write("sites/sites.yaml", sites.toString())
        .write("apps/web/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n  policy: default\n")
        .write("apps/web/base/kustomization.yaml", "resources: [config.yaml]\n")
        .write("apps/web/overlays/edge/kustomization.yaml", "resources: [../../base]\nnamespace: shop\n");
    release("r1");
  }

  void release(String version) {
    git.write("apps/web/base/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  VERSION: \"" + version + "\"\n");
  }

  /** The VERSION the site's cluster runs, or null. */
  String running(String site) {
    ConfigMap cm = clusters.get(site).client().configMaps().inNamespace("shop").withName("web").get();
    return cm == null ? null : cm.getData().get("VERSION");
  }

  /** One round: the engine steps, every online agent polls once, the clock moves on. */
  void round() throws Exception {
    engine.step();
    for (String site : SITES) {
      if (offline.contains(site)) continue;
      try {
        agents.get(site).cycle(0);
      } catch (EngineUnreachable e) {
        agents.get(site).heal();
      }
    }
    engine.step();
    clock.advance(Duration.ofSeconds(10));
  }

  RolloutView runUntil(String revision, Predicate<RolloutView> done) throws Exception {
    for (int i = 0; i < 60; i++) {
      round();
      var found = engine.operations().list().stream().filter(r -> r.revision().equals(revision)).findFirst();
      if (found.isPresent()) {
        RolloutView v = engine.operations().get(found.get().id());
        if (done.test(v)) return v;
      }
    }
    throw new AssertionError("rollout of " + revision + " did not get there: " + engine.operations().list());
  }

  String newRelease(String version) throws Exception {
    release(version);
    String rev = git.commit("web " + version);
    engine.syncNow();
    return rev;
  }

  StoredReport reportOf(String site) throws Exception {
    return engineReports().stream().filter(r -> r.site().equals(site)).findFirst().orElseThrow();
  }

  List<StoredReport> engineReports() throws Exception {
    return new dev.flotilla.store.JdbcSiteReports(engine.database().transactions(), engine.writes(), engine.database().vendor()).of("web");
  }

  long reportsTaken(String site) throws Exception {
    try (Connection c = engine.database().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT last_seq FROM agent_report_marks WHERE site = ?")) {
      s.setString(1, site);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  /** The agent of {@code site} loses the engine (its next requests go to a closed port). */
  void disconnect(String site) throws Exception {
    agents.get(site).close();
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    agents.put(site, agent(site, URI.create("http://127.0.0.1:" + dead)));
  }

  void reconnect(String site) throws Exception {
    agents.get(site).close();
    agents.put(site, agent(site, URI.create("http://127.0.0.1:" + port)));
    offline.remove(site);
  }

  @Test
  void offlineSiteReconnectsAfterTwoReleasesAndAnEngineRestartGettingTheCurrentRevisionInOneStep() throws Exception {
    String r1 = git.head();
    runUntil(r1, v -> v.state().equals("COMPLETED") && v.waves().get(1).done() == 2);
    assertThat(SITES).allSatisfy(s -> assertThat(running(s)).isEqualTo("r1"));
    assertThat(reportOf("edge-3").health()).isEqualTo("HEALTHY");

    // edge-3 loses the engine; its cluster drifts and the agent heals it alone, queueing the report
    disconnect("edge-3");
    clusters.get("edge-3").client().configMaps().inNamespace("shop").withName("web")
        .edit(cm -> { cm.getData().put("VERSION", "tampered-by-hand"); return cm; });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> agents.get("edge-3").cycle(0)).isInstanceOf(EngineUnreachable.class);
    agents.get("edge-3").heal();
    assertThat(running("edge-3")).isEqualTo("r1");
    int buffered = agents.get("edge-3").queuedReports();
    assertThat(buffered).isPositive();
    long takenBefore = reportsTaken("edge-3");
    offline.add("edge-3");

    // two releases go out while edge-3 is away: the wave completes without it (completion 50%)
    String r2 = newRelease("r2");
    RolloutView second = runUntil(r2, v -> v.state().equals("COMPLETED"));
    assertThat(second.sites()).anySatisfy(s -> {
      assertThat(s.site()).isEqualTo("edge-3");
      assertThat(s.status()).isNotEqualTo("DONE");
    });

    // the engine restarts between the releases: sequences, tokens and taken reports survive it
    engine.close();
    engine = null;
    startEngine();
    String r3 = newRelease("r3");
    runUntil(r3, v -> v.state().equals("COMPLETED"));
    assertThat(running("edge-1")).isEqualTo("r3");
    assertThat(running("edge-2")).isEqualTo("r3");
    assertThat(running("edge-3")).isEqualTo("r1");

    // edge-3 comes back: one cycle brings it from r1 to r3 (sequence 3; r2's bundle is skipped)
    reconnect("edge-3");
    agents.get("edge-3").cycle(0);

    assertThat(running("edge-3")).isEqualTo("r3");
    assertThat(Files.readString(dir.resolve("agents/edge-3/installed.json"))).contains("\"sequence\" : 3");
    assertThat(agents.get("edge-3").queuedReports()).isZero();
    assertThat(reportsTaken("edge-3")).isGreaterThanOrEqualTo(takenBefore + buffered + 1);
    engine.step();
    StoredReport edge3 = reportOf("edge-3");
    assertThat(edge3.revision()).isEqualTo(r3);
    assertThat(edge3.health()).isEqualTo("HEALTHY");
    RolloutView third = engine.operations().get(engine.operations().list().stream().filter(r -> r.revision().equals(r3)).findFirst()
        .orElseThrow().id());
    assertThat(third.sites()).filteredOn(s -> s.site().equals("edge-3")).singleElement()
        .satisfies(s -> assertThat(s.status()).isEqualTo("DONE"));
  }

  @Test
  void aTamperedBundleIsRejectedByTheAgentAndNothingIsApplied() throws Exception {
    String r1 = git.head();
    runUntil(r1, v -> v.state().equals("COMPLETED") && v.waves().get(1).done() == 2);
    offline.addAll(List.of("edge-1", "edge-2", "edge-3"));
    newRelease("r2");
    engine.step(); // publishes r2 for the canary, edge-1, as sequence 2
    Path stored = dir.resolve("data/bundles/edge-1/web/2.tar");
    byte[] tar = Files.readAllBytes(stored);
    int gzip = 512;
    while (!(tar[gzip] == (byte) 0x1f && tar[gzip + 1] == (byte) 0x8b)) gzip++;
    tar[gzip + 40] ^= 0x01; // a byte inside manifests.tar.gz
    Files.write(stored, tar);

    agents.get("edge-1").cycle(0);

    assertThat(running("edge-1")).isEqualTo("r1");
    assertThat(Files.readString(dir.resolve("agents/edge-1/installed.json"))).contains("\"sequence\" : 1");
    engine.step();
    assertThat(reportOf("edge-1").message()).contains("rejected, nothing applied").containsAnyOf("digest-mismatch", "malformed", "truncated");
  }

  @Test
  void aSitesTokenReadsOnlyItsOwnBundles() throws Exception {
    engine.step();
    HttpClient http = HttpClient.newHttpClient();
    URI other = URI.create("http://127.0.0.1:" + port + "/api/v1/sites/edge-2/bundles/web");

    HttpResponse<String> asEdge1 = http.send(HttpRequest.newBuilder(other).header("Authorization", "Bearer " + tokens.get("edge-1")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(other).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> asEdge2 = http.send(HttpRequest.newBuilder(other).header("Authorization", "Bearer " + tokens.get("edge-2")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(asEdge1.statusCode()).isEqualTo(403);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(asEdge2.statusCode()).isIn(200, 404); // its own: served once published (the canary goes first)
  }

  @Test
  void aFailedApplyIsReportedFailedAndTheLastGoodBundleIsAppliedAgain() throws Exception {
    String r1 = git.head();
    runUntil(r1, v -> v.state().equals("COMPLETED") && v.waves().get(1).done() == 2);
    clusters.get("edge-1").api().refuseApplies(p -> p.contains("/configmaps/web"), "admission webhook denied the request", "data");

    String r2 = newRelease("r2");
    RolloutView halted = runUntil(r2, v -> v.waves().get(0).failed() == 1);

    assertThat(halted.waves().get(1).done()).isZero();
    assertThat(reportOf("edge-1").health()).isEqualTo("FAILED");
    assertThat(reportOf("edge-1").message()).contains("apply of sequence 2 failed");
    assertThat(running("edge-1")).isEqualTo("r1");
    assertThat(running("edge-2")).isEqualTo("r1");
  }

  @Test
  void aHoldAtTheSiteIsShownByTheEngineAndKeepsTheSitePendingUntilItEnds() throws Exception {
    String r1 = git.head();
    runUntil(r1, v -> v.state().equals("COMPLETED") && v.waves().get(1).done() == 2);
    Instant until = clock.instant().plus(Duration.ofMinutes(10));
    new Hold(until, "inventory count").write(dir.resolve("agents/edge-2"));

    String r2 = newRelease("r2");
    RolloutView held = runUntil(r2, v -> v.waves().get(1).done() >= 1);

    assertThat(running("edge-2")).isEqualTo("r1");
    assertThat(held.sites()).filteredOn(s -> s.site().equals("edge-2")).singleElement()
        .satisfies(s -> assertThat(s.status()).isNotEqualTo("DONE"));
    assertThat(reportOf("edge-2").message()).startsWith("on hold until " + until + ": inventory count");

    clock.advance(Duration.ofMinutes(10));
    RolloutView done = runUntil(r2, v -> v.sites().stream().filter(s -> s.site().equals("edge-2")).allMatch(s -> s.status().equals("DONE")));

    assertThat(running("edge-2")).isEqualTo("r2");
    assertThat(done.state()).isEqualTo("COMPLETED");
  }

  @Test
  void theInstalledSequenceServedWithOtherContentIsReportedAsAnAttackAndNotApplied() throws Exception {
    String r1 = git.head();
    runUntil(r1, v -> v.state().equals("COMPLETED") && v.waves().get(1).done() == 2);
    // a compromised server (or mirror) serves sequence 1 again, signed by a trusted key, with other manifests
    var forged = new dev.flotilla.bundle.BundleBuilder(PullKeys.SIGNING).build(new dev.flotilla.bundle.BundleContent("edge-1", "web", r1, 1,
        clock.instant(), clock.instant().plus(Duration.ofDays(1)), new java.util.TreeMap<>(Map.of("web.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: shop}\ndata: {VERSION: evil}\n".getBytes()))));
    Files.write(dir.resolve("data/bundles/edge-1/web/1.tar"), dev.flotilla.bundle.BundleFiles.toTar(forged));
    agents.get("edge-1").close();
    agents.put("edge-1", agent("edge-1", URI.create("http://127.0.0.1:" + port))); // a restarted agent fetches its target again

    agents.get("edge-1").cycle(0);
    engine.step();

    assertThat(running("edge-1")).isEqualTo("r1");
    assertThat(reportOf("edge-1").message()).startsWith("ATTACK? bundle sequence 1 rejected, nothing applied: conflicting-sequence");
    assertThat(reportOf("edge-1").revision()).isEqualTo(r1);
  }
}
