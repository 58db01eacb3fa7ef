package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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
import dev.flotilla.fleet.AllowedSignersFile;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.CommitSigning.OpenPgpKey;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.GpgConfig.GpgFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's pinned allowed signers ({@code serve --allowed-signers}) through the running engine
 * (a real Git repository with really signed commits, kustomize, H2, a GitHub API on WireMock). The
 * engine pins ops's key; the fleet repo lists alice. A new engine judges its first revision by the
 * pin, not by the revision's own list, and with the pin a fleet repo cannot switch signatures off.
 */
class PinnedSignersIT {
  static OpenPgpKey ops;
  static OpenPgpKey alice;
  static OpenPgpKey mallory;

  @TempDir Path dir;
  WireMockServer api;
  GitFixture git;
  SimulatedDelivery sites;
  Engine engine;
  String unsignedFleetYaml;

  @BeforeAll
  static void keys() {
    ops = OpenPgpKey.generate("Ops <ops@flotilla.dev>");
    alice = OpenPgpKey.generate("Alice <alice@flotilla.dev>");
    mallory = OpenPgpKey.generate("Mallory <mallory@flotilla.dev>");
  }

  @BeforeEach
  void fleetRepo() {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(post(urlPathMatching("/repos/acme/fleet/statuses/.*")).willReturn(aResponse().withStatus(201).withBody("{}")));
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    unsignedFleetYaml = read("fleet.yaml");
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    if (sites != null) sites.close();
    git.close();
    api.stop();
  }

  String read(String path) {
    try {
      return Files.readString(git.workTree().resolve(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** fleet.yaml requiring signatures by {@code name}'s OpenPGP key. */
  String fleetListing(String name, OpenPgpKey key) {
    return unsignedFleetYaml + SignedCommitsIT.requireSignedCommits(List.of("- name: " + name + "\n  openpgp: |\n" + key.armoredPublicKey().indent(4)));
  }

  /** A new engine (empty data folder) pinning ops's key, as {@code serve --allowed-signers} reads it; returns after its startup sync. */
  void startEngineWithOpsPinned() throws Exception {
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    GitHubApi github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of("t0ken"), true, HttpClient.newHttpClient(),
        new Retry(1, Duration.ZERO, Duration.ZERO), d -> {}, clock);
    GitProvider provider = new GitProvider(new GitHubSettings(URI.create(api.baseUrl()), "acme/fleet", ProviderToken.of("t0ken"), true, null, null), github);
    String pin = "allowedSigners:\n  - name: ops\n    openpgp: |\n" + ops.armoredPublicKey().indent(6);
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock)
        .withPinnedSigners(Optional.of(AllowedSignersFile.parse("signers.yaml", pin)));
    engine = Engine.start(config, DeliveryWiring.of(sites), new CiStatuses.Recorded(CiStatus.PASSED), AnalysisSource.NONE, provider);
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (engine.syncStatus().attempts().isEmpty() && System.nanoTime() < until) Thread.sleep(50);
    assertThat(engine.syncStatus().attempts()).as("the startup sync ran").isNotEmpty();
  }

  List<String> rolloutRevisions() throws Exception {
    return engine.operations().list(0, 100).stream().map(r -> r.revision()).toList();
  }

  void assertSignatureStatus(String commit, String state, String description) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        api.verify(1, postRequestedFor(urlPathEqualTo("/repos/acme/fleet/statuses/" + commit))
            .withRequestBody(matchingJsonPath("$.context", equalTo("flotilla/signature")))
            .withRequestBody(matchingJsonPath("$.state", equalTo(state)))
            .withRequestBody(matchingJsonPath("$.description", containing(description))));
        return;
      } catch (VerificationException e) {
        if (System.nanoTime() > until) throw e;
        Thread.sleep(50);
      }
    }
  }

  @Test
  void aNewEngineRefusesAFirstRevisionSignedByAKeyOnlyInItsOwnList() throws Exception {
    git.write("fleet.yaml", fleetListing("mallory", mallory));
    String first = git.commitSigned("web 1.0, mallory lists herself", mallory, GpgFormat.OPENPGP);

    startEngineWithOpsPinned();

    String reason = "commit " + first.substring(0, 7) + " is signed by OpenPGP key " + mallory.fingerprint()
        + ", which is not in the engine's pinned --allowed-signers (allowed: ops)";
    SyncView sync = engine.syncStatus();
    assertThat(sync.revision()).as("nothing is followed").isNull();
    assertThat(sync.attempts().get(0).outcome()).isEqualTo("refused");
    assertThat(sync.attempts().get(0).error()).isEqualTo(reason);
    assertThat(rolloutRevisions()).isEmpty();
    // GitHub takes 140 characters of a description: with a 40-hex fingerprint the list's name is cut after "pinned".
    assertSignatureStatus(first, "failure", "which is not in the engine's pinned");
  }

  @Test
  void aNewEngineAcceptsAFirstRevisionSignedByAPinnedKeyAndItsListJudgesTheNext() throws Exception {
    git.write("fleet.yaml", fleetListing("alice", alice));
    String first = git.commitSigned("web 1.0, alice signs from now on", ops, GpgFormat.OPENPGP);

    startEngineWithOpsPinned();

    assertThat(engine.syncStatus().revision()).isEqualTo(first);
    assertThat(rolloutRevisions()).containsExactly(first);
    assertSignatureStatus(first, "success", "signed by ops (openpgp " + ops.fingerprint() + ")");

    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String byAlice = git.commitSigned("web 2.0, signed by alice", alice, GpgFormat.OPENPGP);
    assertThat(engine.syncNow()).isEqualTo(byAlice);
    assertThat(rolloutRevisions()).contains(byAlice);
  }

  @Test
  void onceTheFleetRepoListsSignersThePinnedKeyAloneNoLongerSuffices() throws Exception {
    git.write("fleet.yaml", fleetListing("alice", alice));
    String first = git.commitSigned("web 1.0, alice signs from now on", ops, GpgFormat.OPENPGP);
    startEngineWithOpsPinned();
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String byOps = git.commitSigned("web 2.0, signed by ops", ops, GpgFormat.OPENPGP);

    String followed = engine.syncNow();

    assertThat(followed).isEqualTo(first);
    assertThat(engine.syncStatus().lastError()).isEqualTo("revision " + byOps + " refused: commit " + byOps.substring(0, 7)
        + " is signed by OpenPGP key " + ops.fingerprint() + ", which is not in requireSignedCommits (allowed: alice)");
  }

  @Test
  void withThePinARepoThatDropsRequireSignedCommitsStillNeedsSignedRevisions() throws Exception {
    git.write("fleet.yaml", fleetListing("alice", alice));
    git.commitSigned("web 1.0, alice signs from now on", ops, GpgFormat.OPENPGP);
    startEngineWithOpsPinned();
    git.write("fleet.yaml", unsignedFleetYaml);
    String dropped = git.commitSigned("alice drops requireSignedCommits", alice, GpgFormat.OPENPGP);
    assertThat(engine.syncNow()).as("alice may change the list").isEqualTo(dropped);
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String unsigned = git.commit("web 2.0, unsigned");

    String followed = engine.syncNow();

    assertThat(followed).isEqualTo(dropped);
    assertThat(rolloutRevisions()).doesNotContain(unsigned);
    assertThat(engine.syncStatus().attempts().get(0).error()).isEqualTo("commit " + unsigned.substring(0, 7)
        + " is not signed; the engine's pinned --allowed-signers allows only commits signed by ops");

    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("3.0"));
    String byOps = git.commitSigned("web 3.0, signed by ops", ops, GpgFormat.OPENPGP);
    assertThat(engine.syncNow()).as("the pinned key signs where the fleet repo has no list").isEqualTo(byOps);
    assertThat(rolloutRevisions()).contains(byOps);
  }
}
