package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.VerificationException;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.GitProvider;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.AnalysisSource;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.view.SyncView;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.CommitSigning.OpenPgpKey;
import dev.flotilla.testing.CommitSigning.SshKey;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.lib.GpgConfig.GpgFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code requireSignedCommits} through the running engine (real Git repository with really signed
 * commits, kustomize, H2, Javalin, a GitHub API on WireMock): the fleet repo's first revision,
 * signed by alice, lists alice (OpenPGP) and bob (SSH). A later revision is rolled out only when
 * signed by one of them; otherwise no release is made, the revision followed stays, {@code GET
 * /api/v1/sync} and the audit log say why, and the commit gets a failing {@code flotilla/signature}.
 */
class SignedCommitsIT {
  static OpenPgpKey alice;
  static OpenPgpKey mallory;

  @TempDir Path dir;
  WireMockServer api;
  GitFixture git;
  SshKey bob;
  SimulatedDelivery sites;
  Engine engine;
  String first;

  @BeforeAll
  static void keys() {
    alice = OpenPgpKey.generate("Alice <alice@flotilla.dev>");
    mallory = OpenPgpKey.generate("Mallory <mallory@flotilla.dev>");
  }

  @BeforeEach
  void start() throws Exception {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(post(urlPathMatching("/repos/acme/fleet/statuses/.*")).willReturn(aResponse().withStatus(201).withBody("{}")));
    bob = SshKey.generate(dir.resolve("keys"), "bob");
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.write("fleet.yaml", Files.readString(git.workTree().resolve("fleet.yaml")) + requireSignedCommits(List.of(
        "- name: alice\n  openpgp: |\n" + alice.armoredPublicKey().indent(4),
        "- name: bob\n  ssh: " + bob.publicKey() + "\n")));
    first = git.commitSigned("web 1.0, signed commits required", alice, GpgFormat.OPENPGP);
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    GitHubApi github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of("t0ken"), true, HttpClient.newHttpClient(),
        new Retry(1, Duration.ZERO, Duration.ZERO), d -> {}, clock);
    GitProvider provider = new GitProvider(new GitHubSettings(URI.create(api.baseUrl()), "acme/fleet", ProviderToken.of("t0ken"), true, null, null), github);
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    engine = Engine.start(config, DeliveryWiring.of(sites), new CiStatuses.Recorded(CiStatus.PASSED), AnalysisSource.NONE, provider);
    afterTheStartupPoll();
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    if (sites != null) sites.close();
    git.close();
    api.stop();
  }

  static String requireSignedCommits(List<String> signers) {
    StringBuilder yaml = new StringBuilder("  requireSignedCommits:\n    allowedSigners:\n");
    signers.forEach(s -> yaml.append(s.indent(6)));
    return yaml.toString();
  }

  /** The poll job runs once at start (Quartz startNow); the tests sync after it, so it cannot sync a later commit. */
  void afterTheStartupPoll() throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (engine.syncStatus().attempts().isEmpty() && System.nanoTime() < until) Thread.sleep(50);
    assertThat(engine.syncStatus().revision()).as("the first revision, signed by alice, is followed").isEqualTo(first);
  }

  List<String> rolloutRevisions() throws Exception {
    return engine.operations().list(0, 100).stream().map(r -> r.revision()).toList();
  }

  String syncJson() throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(engine.apiUri().resolve("/api/v1/sync")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    return answer.body();
  }

  /** Waits (the provider thread sends it) for the status {@code flotilla/signature} of {@code commit} in {@code state}. */
  void assertSignatureStatus(String commit, String state, String description) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        api.verify(1, postRequestedFor(urlPathEqualTo("/repos/acme/fleet/statuses/" + commit))
            .withRequestBody(matchingJsonPath("$.context", com.github.tomakehurst.wiremock.client.WireMock.equalTo("flotilla/signature")))
            .withRequestBody(matchingJsonPath("$.state", com.github.tomakehurst.wiremock.client.WireMock.equalTo(state)))
            .withRequestBody(matchingJsonPath("$.description", com.github.tomakehurst.wiremock.client.WireMock.containing(description))));
        return;
      } catch (VerificationException e) {
        if (System.nanoTime() > until) throw e;
        Thread.sleep(50);
      }
    }
  }

  @Test
  void anUnsignedRevisionIsNotRolledOutAndItsStatusSaysWhy() throws Exception {
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String unsigned = git.commit("web 2.0, unsigned");

    String followed = engine.syncNow();

    String reason = "commit " + unsigned.substring(0, 7) + " is not signed; requireSignedCommits allows only commits signed by alice, bob";
    assertThat(followed).isEqualTo(first);
    assertThat(rolloutRevisions()).containsExactly(first);
    SyncView sync = engine.syncStatus();
    assertThat(sync.lastError()).isEqualTo("revision " + unsigned + " refused: " + reason);
    assertThat(sync.attempts().get(0).outcome()).isEqualTo("refused");
    assertThat(sync.attempts().get(0).error()).isEqualTo(reason);
    assertThat(syncJson()).contains("\"outcome\":\"refused\"").contains(reason);
    assertThat(engine.operations().audit(null, 100, 0).stream().map(Object::toString).toList())
        .anySatisfy(entry -> assertThat(entry).contains("revision-refused").contains(reason));
    assertSignatureStatus(unsigned, "failure", "refused: commit " + unsigned.substring(0, 7) + " is not signed");
  }

  @Test
  void aRevisionSignedByAnAllowedSshKeyIsRolledOut() throws Exception {
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String signed = bob.commitSigned(git.workTree(), "web 2.0, signed by bob");

    String followed = engine.syncNow();

    assertThat(followed).isEqualTo(signed);
    assertThat(rolloutRevisions()).contains(signed);
    assertThat(engine.syncStatus().lastError()).isNull();
    assertSignatureStatus(signed, "success", "signed by bob (" + bob.fingerprint() + ")");
  }

  @Test
  void aRevisionThatAddsItsOwnSignerToTheListIsRefused() throws Exception {
    String fleet = Files.readString(git.workTree().resolve("fleet.yaml"));
    git.write("fleet.yaml", fleet + "      - name: mallory\n        openpgp: |\n" + mallory.armoredPublicKey().indent(10));
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("evil"));
    String evil = git.commitSigned("web evil, signed by mallory, who lists herself", mallory, GpgFormat.OPENPGP);

    String followed = engine.syncNow();

    assertThat(followed).isEqualTo(first);
    assertThat(rolloutRevisions()).containsExactly(first);
    assertThat(engine.syncStatus().lastError()).isEqualTo("revision " + evil + " refused: commit " + evil.substring(0, 7)
        + " is signed by OpenPGP key " + mallory.fingerprint() + ", which is not in requireSignedCommits (allowed: alice, bob)");
    assertSignatureStatus(evil, "failure", "is signed by OpenPGP key " + mallory.fingerprint().substring(0, 8));
  }

  @Test
  void aSignerAddedByAnAllowedSignerMaySignTheNextRevision() throws Exception {
    String fleet = Files.readString(git.workTree().resolve("fleet.yaml"));
    git.write("fleet.yaml", fleet + "      - name: mallory\n        openpgp: |\n" + mallory.armoredPublicKey().indent(10));
    String added = git.commitSigned("alice lets mallory sign", alice, GpgFormat.OPENPGP);
    assertThat(engine.syncNow()).isEqualTo(added);
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String byMallory = git.commitSigned("web 2.0, signed by mallory", mallory, GpgFormat.OPENPGP);

    String followed = engine.syncNow();

    assertThat(followed).isEqualTo(byMallory);
    assertThat(rolloutRevisions()).contains(byMallory);
    assertSignatureStatus(byMallory, "success", "signed by mallory (openpgp " + mallory.fingerprint() + ")");
  }

  @Test
  void afterARefusalTheNextSignedRevisionIsRolledOutAndTheErrorClears() throws Exception {
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String unsigned = git.commit("web 2.0, unsigned");
    engine.syncNow();
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("3.0"));
    String signed = git.commitSigned("web 3.0, signed by alice", alice, GpgFormat.OPENPGP);

    String followed = engine.syncNow();

    assertThat(followed).isEqualTo(signed);
    assertThat(rolloutRevisions()).contains(signed).doesNotContain(unsigned);
    assertThat(engine.syncStatus().lastError()).isNull();
  }
}
