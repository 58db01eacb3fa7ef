package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.bundle.Envelope;
import dev.flotilla.bundle.KeyDirectory;
import dev.flotilla.bundle.KeyFile;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.bundle.TrustDocument;
import dev.flotilla.bundle.TrustStore;
import dev.flotilla.bundle.TrustedKey;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.push.ApplySettings;
import dev.flotilla.delivery.push.Pause;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.PullKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's side of trust updates against an engine the test controls: a stub speaking the agent
 * routes over real HTTP on loopback, with fabric8's mock API server as the site's cluster. When the
 * stub is hostile (or a mirror, or whoever sits on the wire) and offers trust documents the roots
 * did not sign, the agent refuses each, keeps its trust file byte for byte, logs the reason and
 * reports it with its trust version; a version the roots did sign is taken, also when a bundle
 * signed by its new key is what makes the agent ask. The key folder is made by {@link
 * KeyDirectory} with 2 of 3 roots, as {@code flotilla keys generate --roots 3 --threshold 2} makes it.
 */
class HostileTrustIT {
  static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
  static final String SITE = "edge-1";

  @TempDir Path dir;
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  KeyDirectory keys;
  Path keysDir;
  TrustDocument v1;
  HttpServer server;
  MockCluster cluster;
  Agent agent;
  /** What the hostile engine serves: the trust version it claims, and the document bytes per version. */
  volatile int claimed;
  final Map<Integer, byte[]> documents = new ConcurrentHashMap<>();
  final List<JsonNode> reports = new CopyOnWriteArrayList<>();
  /** The bundle of app web the engine serves (null: none), and what it does once it has served it. */
  volatile byte[] bundle;
  volatile Runnable afterBundle;

  @BeforeEach
  void start() throws Exception {
    keysDir = dir.resolve("keys");
    keys = new KeyDirectory(keysDir, new KeyFile(new SecureRandom(), 1_000), clock, new SecureRandom());
    v1 = keys.generate(3, 2, Duration.ofDays(365), PASSPHRASE);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/sites/" + SITE + "/", this::answer);
    server.start();
    cluster = new MockCluster();
    AgentSettings settings = AgentSettings.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), SITE, "flt_site_x",
        keysDir.resolve("trust.json"), dir.resolve("agent")).withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
    agent = Agent.open(settings, new KubernetesSiteCluster(SITE, cluster.client(), ApplySettings.DEFAULTS), clock, new SplittableRandom(7),
        Pause.SLEEP);
  }

  @AfterEach
  void stop() {
    if (agent != null) agent.close();
    if (server != null) server.stop(0);
    if (cluster != null) cluster.close();
  }

  /** The routes an agent calls, answered the way a hostile engine chooses. */
  private void answer(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath().substring(("/api/v1/sites/" + SITE).length());
    byte[] body;
    int status = 200;
    if (path.equals("/trust")) {
      body = ("{\"version\":" + claimed + "}").getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("ETag", "\"evil-" + claimed + "\"");
    } else if (path.startsWith("/trust/") && documents.containsKey(Integer.parseInt(path.substring(7)))) {
      body = documents.get(Integer.parseInt(path.substring(7)));
    } else if (path.equals("/bundles")) {
      String list = bundle == null ? "[]" : "[{\"app\":\"web\",\"sequence\":1,\"revision\":\"r1\",\"etag\":\"\\\"1-x\\\"\",\"size\":"
          + bundle.length + ",\"publishedAt\":\"" + clock.instant() + "\"}]";
      body = ("{\"site\":\"" + SITE + "\",\"bundles\":" + list + "}").getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("ETag", bundle == null ? "\"empty\"" : "\"list-1\"");
    } else if (path.equals("/bundles/web") && bundle != null) {
      body = bundle;
      x.getResponseHeaders().add("ETag", "\"1-x\"");
      if (afterBundle != null) afterBundle.run();
    } else if (path.equals("/reports")) {
      JsonNode batch = new ObjectMapper().readTree(x.getRequestBody().readAllBytes());
      reports.add(batch);
      long seq = 0;
      for (JsonNode r : batch.path("reports")) seq = Math.max(seq, r.path("seq").asLong());
      body = ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    } else {
      status = 404;
      body = "{\"error\":\"not-found\",\"reason\":\"no such route\"}".getBytes(StandardCharsets.UTF_8);
    }
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, body.length);
    x.getResponseBody().write(body);
    x.close();
  }

  SigningKey root(int n) throws Exception {
    return KeyFile.readSigningKey(keysDir.resolve("root-" + n + ".key"), PASSPHRASE);
  }

  TrustDocument v2WithAStrangersKey() {
    return v1.withSigningKey(new TrustedKey(PullKeys.STRANGER.publicKey(), clock.instant(), clock.instant().plus(Duration.ofDays(365))));
  }

  byte[] agentsTrust() throws IOException {
    return Files.readAllBytes(Agent.trustFile(dir.resolve("agent")));
  }

  /** The trust the agent said it holds in its last report batch. */
  JsonNode lastReportedTrust() {
    assertThat(reports).as("the agent reported").isNotEmpty();
    return reports.get(reports.size() - 1).path("trust");
  }

  @Test
  void aTrustUpdateSignedByOneRootOfTwoNeededIsRejectedAndTheAgentKeepsItsTrust() throws Exception {
    byte[] before = agentsTrust();
    claimed = 2;
    documents.put(2, v2WithAStrangersKey().sign(List.of(root(1))).toJson());

    agent.cycle(0);

    assertThat(agentsTrust()).isEqualTo(before);
    assertThat(new TrustStore(Agent.trustFile(dir.resolve("agent"))).load().signingKey(PullKeys.STRANGER.keyId())).isEmpty();
    assertThat(agent.trustState().version()).isEqualTo(1);
    assertThat(agent.trustState().problem()).startsWith("trust version 2 rejected, keeping version 1: below-threshold")
        .contains("signed by 1 distinct current (version 1) root key(s), 2 needed");
    assertThat(lastReportedTrust().path("version").asInt()).isEqualTo(1);
    assertThat(lastReportedTrust().path("problem").asText()).contains("below-threshold");
  }

  @Test
  void aTamperedTrustDocumentIsRejectedAndTheAgentKeepsItsTrust() throws Exception {
    byte[] before = agentsTrust();
    Envelope genuine = v1.withRevoked(v1.signingKeys().get(0).keyId()).sign(List.of(root(1), root(2)));
    // the roots' signatures over a revocation, carrying a payload that adds the stranger's key instead
    claimed = 2;
    documents.put(2, new Envelope(genuine.payloadType(), v2WithAStrangersKey().toJson(), genuine.signatures()).toJson());

    agent.cycle(0);

    assertThat(agentsTrust()).isEqualTo(before);
    assertThat(agent.trustState()).satisfies(t -> {
      assertThat(t.version()).isEqualTo(1);
      assertThat(t.problem()).contains("below-threshold").contains("signed by 0 distinct current (version 1) root key(s)");
    });
  }

  @Test
  void aVersionThatSkipsOneIsRejectedEvenWhenTheRootsSignedIt() throws Exception {
    byte[] before = agentsTrust();
    TrustDocument v3 = new TrustDocument(3, v1.rootThreshold(), v1.roots(), v2WithAStrangersKey().signingKeys(), v1.revoked());
    claimed = 3;
    documents.put(3, v3.sign(List.of(root(1), root(2))).toJson());

    agent.cycle(0);

    assertThat(agentsTrust()).isEqualTo(before);
    assertThat(agent.trustState().problem()).isEqualTo("the engine serves trust version 3 but not version 2; keeping version 1");
  }

  @Test
  void theNextVersionSignedByTwoRootsIsTakenFromTheSameServer() throws Exception {
    claimed = 2;
    documents.put(2, v2WithAStrangersKey().sign(List.of(root(2), root(3))).toJson());

    agent.cycle(0);

    assertThat(agent.trustState().version()).isEqualTo(2);
    assertThat(agent.trustState().problem()).isNull();
    assertThat(agentsTrust()).isEqualTo(documents.get(2));
    assertThat(lastReportedTrust().path("version").asInt()).isEqualTo(2);
  }

  @Test
  void aBundleSignedByAKeyTheAgentDoesNotKnowMakesItAskForTrustAgainAndInstallOnceTheRotationIsTaken() throws Exception {
    claimed = 1;
    documents.put(1, Files.readAllBytes(keysDir.resolve("trust.json")));
    byte[] v2 = v2WithAStrangersKey().sign(List.of(root(1), root(2))).toJson();
    var signed = new dev.flotilla.bundle.BundleBuilder(PullKeys.STRANGER).build(new dev.flotilla.bundle.BundleContent(SITE, "web", "r1", 1,
        clock.instant(), clock.instant().plus(Duration.ofDays(1)), new java.util.TreeMap<>(Map.of("web.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: shop}\ndata: {VERSION: r1}\n".getBytes(StandardCharsets.UTF_8)))));
    bundle = dev.flotilla.bundle.BundleFiles.toTar(signed);
    // the rotation reaches the engine after the agent asked for trust and before it verifies the bundle
    afterBundle = () -> {
      documents.put(2, v2);
      claimed = 2;
    };

    agent.cycle(0);

    assertThat(agent.trustState()).isEqualTo(new dev.flotilla.delivery.pull.SiteTrust(2, null));
    assertThat(cluster.client().configMaps().inNamespace("shop").withName("web").get().getData()).containsEntry("VERSION", "r1");
  }

  @Test
  void aRestartedAgentKeepsTheVersionItTookAndIgnoresAnOlderTrustFileButTakesANewerOneFromRemovableMedia() throws Exception {
    claimed = 2;
    documents.put(2, v2WithAStrangersKey().sign(List.of(root(2), root(3))).toJson());
    agent.cycle(0);
    agent.close();

    agent = reopen(keysDir.resolve("trust.json")); // still version 1
    assertThat(agent.trustState().version()).isEqualTo(2);

    TrustDocument v3 = v2WithAStrangersKey().withRevoked(PullKeys.STRANGER.keyId());
    Path media = Files.write(dir.resolve("media-trust.json"), v3.sign(List.of(root(1), root(3))).toJson());
    agent.close();
    agent = reopen(media);
    assertThat(agent.trustState().version()).isEqualTo(3);
    assertThat(agentsTrust()).isEqualTo(Files.readAllBytes(media));
  }

  Agent reopen(Path trust) throws AgentException {
    AgentSettings settings = AgentSettings.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), SITE, "flt_site_x", trust,
        dir.resolve("agent"));
    return Agent.open(settings, new KubernetesSiteCluster(SITE, cluster.client(), ApplySettings.DEFAULTS), clock, new SplittableRandom(7),
        Pause.SLEEP);
  }
}
