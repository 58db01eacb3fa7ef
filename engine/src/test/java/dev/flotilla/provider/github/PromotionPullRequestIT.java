package dev.flotilla.provider.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.GitProvider;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.AnalysisSource;
import dev.flotilla.engine.view.AuditView;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.fleet.PromotionFile;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code approval: pull-request} through the real engine: it follows a bare fleet repo by its
 * {@code file://} URL (a real remote it can push to with JGit), opens the promotion pull request on
 * a GitHub-compatible API (WireMock), and a merge of the promotion branch into main approves the
 * wave. Kustomize, H2, simulated sites and a stepped clock, as the other engine tests.
 */
class PromotionPullRequestIT {
  static final String PULLS = "/repos/acme/fleet/pulls";

  @TempDir Path dir;
  WireMockServer api;
  GitFixture author;
  Path remote;
  SteppedClock clock;
  SimulatedDelivery sites;
  Engine engine;
  EngineConfig config;

  @BeforeEach
  void start() throws Exception {
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(post(urlPathMatching("/repos/acme/fleet/statuses/.*")).willReturn(aResponse().withStatus(201).withBody("{}")));
    api.stubFor(get(urlPathEqualTo(PULLS)).willReturn(okJson("[]")));
    api.stubFor(post(urlEqualTo(PULLS)).willReturn(aResponse().withStatus(201)
        .withBody("{\"number\":7,\"state\":\"open\",\"html_url\":\"https://github.example/acme/fleet/pull/7\"}")));
    author = GitFixture.init(dir.resolve("author"));
    SmallFleet.write(author);
    String policy = Files.readString(author.workTree().resolve("policies/default.yaml"));
    author.write("policies/default.yaml", policy.replace("gates: {health: true, soak: 1m}", "gates: {health: true, approval: pull-request}"));
    author.commit("web 1.0, its canary approved by pull request");
    remote = GitFixture.initBare(dir.resolve("fleet.git"));
    author.pushTo(remote, GitFixture.MAIN);
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    config = EngineConfig.defaults(remote.toUri().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0).withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    engine = startEngine();
  }

  Engine startEngine() throws Exception {
    GitHubApi github = new GitHubApi(URI.create(api.baseUrl()), ProviderToken.of("t0ken"), true, HttpClient.newHttpClient(),
        new Retry(1, Duration.ZERO, Duration.ZERO), d -> {}, clock);
    GitProvider provider = new GitProvider(new GitHubSettings(URI.create(api.baseUrl()), "acme/fleet", ProviderToken.of("t0ken"), true, null, null), github);
    return Engine.start(config, DeliveryWiring.of(sites), new GitHubCiStatuses(github, "acme/fleet", clock, GitProvider.CI_MAX_AGE),
        AnalysisSource.NONE, provider);
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    sites.close();
    author.close();
    api.stop();
  }

  RolloutView runUntil(String id, Predicate<RolloutView> done) throws Exception {
    for (int round = 0; round < 200; round++) {
      engine.step();
      sites.tick();
      RolloutView view = engine.operations().get(id);
      if (done.test(view)) return view;
      clock.advance(Duration.ofSeconds(10));
    }
    throw new AssertionError("rollout " + id + " did not get there: " + engine.operations().get(id));
  }

  String theRollout() throws Exception {
    return engine.operations().list().stream().filter(r -> r.kind().equals("RELEASE")).findFirst().orElseThrow().id();
  }

  /** The file at {@code path} on {@code branch} of the bare fleet repo, or null. */
  String fileOnRemote(String branch, String path) throws Exception {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(remote.toFile()).build(); RevWalk walk = new RevWalk(repo)) {
      ObjectId tip = repo.resolve("refs/heads/" + branch);
      if (tip == null) return null;
      RevCommit commit = walk.parseCommit(tip);
      try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
        return tw == null ? null : new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  /** Merges the promotion branch into main with a merge commit by Alice, as a pull request's merge button does, and pushes main. */
  String mergeAsAlice(String branch) throws Exception {
    Git git = Git.wrap(author.repository());
    git.fetch().setRemote(remote.toUri().toString()).setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch)).call();
    git.merge().include(author.repository().resolve("refs/heads/" + branch)).setFastForward(MergeCommand.FastForwardMode.NO_FF)
        .setCommit(false).call();
    PersonIdent alice = new PersonIdent("Alice Reviewer", "alice@example.com", Instant.parse("2026-12-10T11:00:00Z"), ZoneOffset.UTC);
    String merged = git.commit().setMessage("Merge pull request #7 from acme/" + branch).setAuthor(alice).setCommitter(alice)
        .setSign(false).call().name();
    author.pushTo(remote, GitFixture.MAIN);
    return merged;
  }

  @Test
  void mergingThePromotionPullRequestApprovesTheWaveAndTheRolloutGoesOn() throws Exception {
    String id = theRollout();
    RolloutView waiting = runUntil(id, r -> r.waitingOn() != null && r.waitingOn().contains("promotion pull request"));
    assertThat(waiting.currentWave()).isZero();
    String branch = "flotilla/promote/" + id + "-canary";
    String path = "promotions/web/" + id + "-canary.yaml";

    engine.requestPromotions();

    api.verify(1, postRequestedFor(urlEqualTo(PULLS)).withRequestBody(equalToJson(
        "{\"head\":\"" + branch + "\",\"base\":\"main\",\"title\":\"Promote web past wave canary (" + waiting.revision().substring(0, 12) + ")\"}",
        false, true)));
    api.verify(getRequestedFor(urlEqualTo(PULLS + "?head=acme%3A" + branch.replace("/", "%2F")
        + "&state=all&sort=created&direction=desc&per_page=100")));
    PromotionFile pushed = PromotionFile.parse(path, fileOnRemote(branch, path));
    assertThat(pushed.rollout()).isEqualTo(id);
    assertThat(pushed.revision()).isEqualTo(waiting.revision());
    assertThat(pushed.wave()).isEqualTo("canary");
    assertThat(pushed.sites()).containsExactly("hub-1");
    assertThat(fileOnRemote(GitFixture.MAIN, path)).as("main is untouched until the merge").isNull();

    engine.requestPromotions();
    api.verify(1, postRequestedFor(urlEqualTo(PULLS)));

    String merge = mergeAsAlice(branch);
    assertThat(engine.operations().syncNow()).isEqualTo(merge);

    assertThat(engine.operations().releases("web")).as("a merge that only adds a promotion file is no release").hasSize(1);
    List<AuditView> audit = engine.operations().audit(id, 500, 0);
    assertThat(audit).anySatisfy(a -> {
      assertThat(a.kind()).isEqualTo("approved");
      assertThat(a.actor()).isEqualTo("Alice Reviewer <alice@example.com>");
      assertThat(a.message()).contains("wave canary approved by Alice Reviewer");
    });
    assertThat(audit).anySatisfy(a -> assertThat(a.kind()).isEqualTo("promotion-requested"));
    RolloutView done = runUntil(id, r -> r.state().equals("COMPLETED"));
    assertThat(done.waves()).extracting(RolloutView.WaveView::done).containsExactly(1, 2, 4);
  }

  @Test
  void aRestartFindsThePullRequestOpenedBeforeAndOpensNoSecondEvenWhenItWasClosed() throws Exception {
    String id = theRollout();
    runUntil(id, r -> r.waitingOn() != null && r.waitingOn().contains("promotion pull request"));
    String branch = "flotilla/promote/" + id + "-canary";
    engine.requestPromotions();
    api.verify(1, postRequestedFor(urlEqualTo(PULLS)));

    engine.close();
    api.stubFor(get(urlPathEqualTo(PULLS)).willReturn(okJson("[{\"number\":7,\"state\":\"closed\",\"merged_at\":null,\"html_url\":\"https://github.example/acme/fleet/pull/7\","
        + "\"head\":{\"ref\":\"" + branch + "\"}}]")));
    engine = startEngine();
    assertThat(engine.requestPromotions()).isLessThanOrEqualTo(1);
    runUntil(id, r -> true);
    engine.requestPromotions();

    api.verify(1, postRequestedFor(urlEqualTo(PULLS)));
    assertThat(engine.operations().get(id).currentWave()).as("a request closed without merging holds the wave").isZero();
    assertThat(engine.operations().get(id).waitingOn()).contains("promotion pull request");
  }

  @Test
  void anOperatorStillApprovesTheWaveWhileThePullRequestIsOpen() throws Exception {
    String id = theRollout();
    runUntil(id, r -> r.waitingOn() != null && r.waitingOn().contains("promotion pull request"));
    engine.requestPromotions();

    engine.operations().command(id, "approve", new dev.flotilla.engine.view.CommandRequest("operator", "PR tooling down", "canary", null));

    RolloutView done = runUntil(id, r -> r.state().equals("COMPLETED"));
    assertThat(done.state()).isEqualTo("COMPLETED");
    String merge = mergeAsAlice("flotilla/promote/" + id + "-canary");
    assertThat(engine.operations().syncNow()).isEqualTo(merge);
    assertThat(engine.operations().audit(id, 500, 0)).noneSatisfy(a -> assertThat(a.actor()).contains("Alice"));
  }

  @Test
  void aPromotionFileForAnUnknownRolloutIsNotedAndTheSyncGoesOn() throws Exception {
    String id = theRollout();
    runUntil(id, r -> r.waitingOn() != null && r.waitingOn().contains("promotion pull request"));
    PromotionFile stray = new PromotionFile("web", "web-0123456789ab", "0123456789abcdef0123456789abcdef01234567", "canary",
        List.of("hub-1"), Instant.parse("2026-12-10T09:00:00Z"));
    author.write(stray.path(), stray.yaml()).write("promotions/web/broken.yaml", "kind: Promotion\n");
    String commit = author.commit("stray promotions");
    author.pushTo(remote, GitFixture.MAIN);

    assertThat(engine.operations().syncNow()).as("the revision is followed").isEqualTo(commit);

    List<AuditView> ignored = engine.operations().audit(null, 500, 0).stream().filter(a -> a.kind().equals("promotion-ignored")).toList();
    assertThat(ignored).extracting(AuditView::message).anySatisfy(m -> assertThat(m).contains("names no known rollout (web-0123456789ab)"))
        .anySatisfy(m -> assertThat(m).contains("promotions/web/broken.yaml", "is invalid"));
    assertThat(engine.operations().releases("web")).hasSize(1);
    assertThat(engine.operations().get(id).currentWave()).isZero();
  }
}
