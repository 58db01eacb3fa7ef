package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.AccessTokens;
import dev.flotilla.api.Role;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.PullDelivery;
import dev.flotilla.bundle.KeyDirectory;
import dev.flotilla.bundle.KeyFile;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.bundle.TrustDocument;
import dev.flotilla.cli.Main;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.pull.AcknowledgedTrust;
import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.delivery.pull.SiteTrust;
import dev.flotilla.delivery.push.ApplySettings;
import dev.flotilla.delivery.push.Pause;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.store.JdbcAgentReports;
import dev.flotilla.store.JdbcAuditLog;
import dev.flotilla.store.JdbcSiteTokens;
import dev.flotilla.store.JdbcTokens;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
 * Trust updates end to end on real parts: a key folder made by {@link KeyDirectory} (as {@code
 * flotilla keys generate/rotate} make it, 2 of 3 roots), the engine (a real Git fleet repo, the
 * real kustomize, embedded H2, its HTTP server on loopback) serving that folder's trust documents,
 * and pull sites, each an in-process {@link Agent} with fabric8's mock API server as its cluster,
 * installed with version 1 of {@code trust.json}.
 */
class TrustUpdatesIT {
  static final List<String> SITES = List.of("edge-1", "edge-2");
  static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

  @TempDir Path dir;
  GitFixture git;
  SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  int port;
  Engine engine;
  KeyDirectory keys;
  Path keysDir;
  Path installedTrust;
  final Map<String, MockCluster> clusters = new HashMap<>();
  final Map<String, Agent> agents = new HashMap<>();
  final Map<String, String> tokens = new HashMap<>();
  final List<String> offline = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    keysDir = dir.resolve("keys");
    keys = new KeyDirectory(keysDir, new KeyFile(new SecureRandom(), 1_000), clock, new SecureRandom());
    TrustDocument v1 = keys.generate(3, 2, Duration.ofDays(365), PASSPHRASE);
    installedTrust = Files.copy(keysDir.resolve("trust.json"), Files.createDirectories(dir.resolve("install")).resolve("trust.json"));
    git = GitFixture.init(dir.resolve("fleet"));
    writeFleet();
    git.commit("web r1");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    startEngine(signingKey(v1));
    JdbcSiteTokens store = new JdbcSiteTokens(engine.database().transactions(), clock);
    for (String site : SITES) tokens.put(site, SiteAuth.issue(store, site, new SecureRandom()));
    for (String site : SITES) {
      clusters.put(site, new MockCluster());
      agents.put(site, agent(site));
    }
  }

  SigningKey signingKey(TrustDocument doc) throws Exception {
    String newest = doc.signingKeys().get(doc.signingKeys().size() - 1).keyId();
    return KeyFile.readSigningKey(keys.signingKeyFile(newest), PASSPHRASE);
  }

  void startEngine(SigningKey key) throws Exception {
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", port)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
        .withClock(clock);
    engine = Engine.start(config, new PullDelivery(PullDelivery.Settings.defaults(key, dir.resolve("data"), clock).withTrustDir(keysDir)),
        new CiStatuses.Recorded(CiStatus.PASSED));
  }

  Agent agent(String site) throws AgentException {
    AgentSettings settings = AgentSettings.of(URI.create("http://127.0.0.1:" + port), site, tokens.get(site), installedTrust,
        dir.resolve("agents").resolve(site)).withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
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

  String newRelease(String version) throws Exception {
    release(version);
    String rev = git.commit("web " + version);
    engine.syncNow();
    return rev;
  }

  String running(String site) {
    ConfigMap cm = clusters.get(site).client().configMaps().inNamespace("shop").withName("web").get();
    return cm == null ? null : cm.getData().get("VERSION");
  }

  void round() throws Exception {
    engine.step();
    for (String site : SITES) {
      if (offline.contains(site)) continue;
      agents.get(site).cycle(0);
    }
    engine.step();
    clock.advance(Duration.ofSeconds(10));
  }

  RolloutView runUntil(String revision, Predicate<RolloutView> done) throws Exception {
    for (int i = 0; i < 40; i++) {
      round();
      var found = engine.operations().list().stream().filter(r -> r.revision().equals(revision)).findFirst();
      if (found.isPresent()) {
        RolloutView v = engine.operations().get(found.get().id());
        if (done.test(v)) return v;
      }
    }
    throw new AssertionError("rollout of " + revision + " did not get there: " + engine.operations().list());
  }

  Map<String, AcknowledgedTrust> acknowledged() throws Exception {
    Map<String, AcknowledgedTrust> bySite = new HashMap<>();
    for (AcknowledgedTrust t : new JdbcAgentReports(engine.database().transactions()).trust()) bySite.put(t.site(), t);
    return bySite;
  }

  @Test
  void aRotationIsServedToTheAgentsWhichTakeItAndThenInstallABundleSignedWithTheNewKey() throws Exception {
    String r1 = git.head();
    runUntil(r1, v -> v.state().equals("COMPLETED") && v.waves().get(0).done() == 2);
    assertThat(acknowledged().get("edge-1").version()).isEqualTo(1);

    // No grace: from now on only the new key signs valid bundles, so a site that did not take version 2 cannot install r2.
    TrustDocument v2 = keys.rotate(Duration.ZERO, Duration.ofDays(365), PASSPHRASE);
    engine.close();
    startEngine(signingKey(v2));
    String r2 = newRelease("r2");
    runUntil(r2, v -> v.state().equals("COMPLETED") && v.waves().get(0).done() == 2);

    assertThat(SITES).allSatisfy(s -> {
      assertThat(running(s)).isEqualTo("r2");
      assertThat(agents.get(s).trustState()).isEqualTo(new SiteTrust(2, null));
      assertThat(Files.readAllBytes(Agent.trustFile(dir.resolve("agents").resolve(s)))).isEqualTo(Files.readAllBytes(keysDir.resolve("trust.json")));
    });
    assertThat(Files.readAllBytes(installedTrust)).as("the installed copy is left as it was").isEqualTo(
        Files.readAllBytes(keysDir.resolve("trust/1.json")));
    assertThat(acknowledged().get("edge-2")).satisfies(t -> {
      assertThat(t.version()).isEqualTo(2);
      assertThat(t.problem()).isNull();
    });
  }

  @Test
  void aSitesTokenReadsTheTrustDocumentsOnlyUnderItsOwnSiteAndAnUnchangedVersionIsA304() throws Exception {
    keys.rotate(Duration.ofDays(7), Duration.ofDays(365), PASSPHRASE);
    clock.advance(Duration.ofSeconds(10)); // past the engine's recheck of the folder
    HttpClient http = HttpClient.newHttpClient();
    String api = "http://127.0.0.1:" + port + "/api/v1/sites/";

    HttpResponse<String> own = http.send(get(api + "edge-1/trust", tokens.get("edge-1")).build(), HttpResponse.BodyHandlers.ofString());
    String etag = own.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = http.send(get(api + "edge-1/trust", tokens.get("edge-1")).header("If-None-Match", etag).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<byte[]> v2 = http.send(get(api + "edge-1/trust/2", tokens.get("edge-1")).build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<String> foreign = http.send(get(api + "edge-2/trust", tokens.get("edge-1")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> foreignDoc = http.send(get(api + "edge-2/trust/2", tokens.get("edge-1")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(api + "edge-1/trust")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> missing = http.send(get(api + "edge-1/trust/3", tokens.get("edge-1")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).isEqualTo("{\"version\":2}");
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(v2.statusCode()).isEqualTo(200);
    assertThat(v2.body()).isEqualTo(Files.readAllBytes(keysDir.resolve("trust/2.json")));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreignDoc.statusCode()).isEqualTo(403);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void keysAuditShowsEachSitesAcknowledgedVersionAndFailsOnASiteThatLagsBehind() throws Exception {
    String r1 = git.head();
    runUntil(r1, v -> v.state().equals("COMPLETED") && v.waves().get(0).done() == 2);
    tokens.put("edge-3", SiteAuth.issue(new JdbcSiteTokens(engine.database().transactions(), clock), "edge-3", new SecureRandom()));
    AccessTokens people = new AccessTokens(new JdbcTokens(engine.database().transactions()), new JdbcAuditLog(engine.database().transactions()),
        clock);
    Path viewer = Files.writeString(dir.resolve("viewer.token"), people.create("auditor", Role.VIEWER, "test").secret());

    keys.rotate(Duration.ofDays(7), Duration.ofDays(365), PASSPHRASE);
    offline.add("edge-2");
    clock.advance(Duration.ofSeconds(10));
    round(); // edge-1 takes version 2 and says so; edge-2 is away with version 1; edge-3 never ran an agent

    String[] audit = {"keys", "audit", "--dir", keysDir.toString(), "--now", clock.instant().toString(), "--engine",
        "http://127.0.0.1:" + port, "--token-file", viewer.toString()};
    Run strict = cli(audit);
    Run lenient = cli(concat(audit, "--max-lag", "1"));
    Run anonymous = cli("keys", "audit", "--dir", keysDir.toString(), "--now", clock.instant().toString(), "--engine", "http://127.0.0.1:" + port);

    assertThat(strict.exit()).as(strict.out() + strict.err()).isEqualTo(2);
    assertThat(strict.out()).contains("the engine serves trust version 2")
        .containsPattern("edge-1 +v2 +ok +current")
        .containsPattern("edge-2 +v1 +LAGGING +1 behind")
        .containsPattern("edge-3 +- +LAGGING +never reported")
        .contains("LAGGING: 2 of 3 site(s) are more than 0 version(s) behind trust version 2");
    assertThat(lenient.exit()).isEqualTo(2);
    assertThat(lenient.out()).containsPattern("edge-2 +v1 +ok +1 behind").contains("LAGGING: 1 of 3 site(s)");
    assertThat(anonymous.exit()).as("GET /api/v1/trust needs a token once tokens exist").isEqualTo(1);

    engine.close(); // the embedded database is the engine's alone while it runs
    engine = null;
    Run fromDatabase = cli("keys", "audit", "--dir", keysDir.toString(), "--now", clock.instant().toString(), "--data-dir",
        dir.resolve("data").toString());
    assertThat(fromDatabase.exit()).as(fromDatabase.out() + fromDatabase.err()).isEqualTo(2);
    assertThat(fromDatabase.out()).containsPattern("edge-1 +v2 +ok").containsPattern("edge-2 +v1 +LAGGING");
  }

  record Run(int exit, String out, String err) {}

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static Run cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  static HttpRequest.Builder get(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20));
  }
}
