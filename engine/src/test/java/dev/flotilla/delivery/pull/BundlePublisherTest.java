package dev.flotilla.delivery.pull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.bundle.Bundle;
import dev.flotilla.bundle.BundleVerifier;
import dev.flotilla.bundle.Installed;
import dev.flotilla.bundle.Limits;
import dev.flotilla.bundle.Verification;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcAgentReports;
import dev.flotilla.store.JdbcBundleStore;
import dev.flotilla.store.JdbcPullTargets;
import dev.flotilla.testing.PullKeys;
import dev.flotilla.testing.PullReleases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull adapter on embedded H2 and a bundle folder: what {@code deliver} publishes and what {@code statuses} answers. */
class BundlePublisherTest {
  static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");

  @TempDir Path dir;
  Database db;
  SteppedClock clock = new SteppedClock(T0);
  JdbcPullTargets targets;
  FileBundleStore store;
  JdbcAgentReports reports;
  TargetWatch watch = new TargetWatch();
  BundlePublisher publisher;

  @BeforeEach
  void open() throws Exception {
    db = Database.open(DatabaseSettings.embedded(dir.resolve("data")));
    targets = new JdbcPullTargets(db.transactions());
    store = new FileBundleStore(dir.resolve("bundles"));
    reports = new JdbcAgentReports(db.transactions());
    publisher = newPublisher();
  }

  BundlePublisher newPublisher() {
    return BundlePublisher.signingWith(PullKeys.SIGNING, targets, store, reports, SiteKeys.NONE, watch, clock, Duration.ofDays(30));
  }

  @AfterEach
  void close() {
    db.close();
  }

  Verification verify(String site, String app, Installed installed) throws Exception {
    PullTarget t = targets.get(site, app).orElseThrow();
    byte[] tar = store.get(site, app, t.sequence()).orElseThrow();
    Path file = dir.resolve("check-" + t.sequence() + ".tar");
    Files.write(file, tar);
    return new BundleVerifier(PullKeys.trust(T0), Limits.DEFAULT).verify(file, site, installed, clock.instant());
  }

  @Test
  void deliverPublishesASignedBundleForTheSiteAsSequenceOne() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));

    PullTarget t = targets.get("edge-1", "web").orElseThrow();
    assertThat(t.sequence()).isEqualTo(1);
    assertThat(t.revision()).isEqualTo("aaaa");
    assertThat(t.etag()).startsWith("1-");
    Verification v = verify("edge-1", "web", Installed.NONE);
    assertThat(v).isInstanceOfSatisfying(Verification.Accepted.class, a -> {
      assertThat(a.statement().revision()).isEqualTo("aaaa");
      assertThat(a.statement().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
      assertThat(new String(a.manifests().get("web.yaml"))).contains("REVISION: \"aaaa\"");
    });
  }

  @Test
  void aBundleNearItsExpiryIsSignedAgainUnderTheNextSequenceWithTheSameRevisionAndManifests() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    publisher.deliver(PullReleases.release("edge-2", "web", "aaaa"));
    clock.advance(Duration.ofDays(10));
    assertThat(publisher.renewExpiring(Duration.ofDays(7), 100)).as("23 days left: not yet").isZero();
    publisher.deliver(PullReleases.release("edge-2", "web", "bbbb")); // edge-2 gets a new release on day 10

    clock.advance(Duration.ofDays(14)); // day 24: edge-1's bundle has 6 days left, edge-2's 16
    assertThat(publisher.renewExpiring(Duration.ofDays(7), 100)).isEqualTo(1);

    PullTarget renewed = targets.get("edge-1", "web").orElseThrow();
    assertThat(renewed.sequence()).isEqualTo(2);
    assertThat(renewed.revision()).isEqualTo("aaaa");
    assertThat(targets.get("edge-2", "web").orElseThrow().sequence()).isEqualTo(2);
    Verification v = verify("edge-1", "web", Installed.NONE);
    assertThat(v).isInstanceOfSatisfying(Verification.Accepted.class, a -> {
      assertThat(a.statement().sequence()).isEqualTo(2);
      assertThat(a.statement().revision()).isEqualTo("aaaa");
      assertThat(a.statement().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(24 + 30)));
      assertThat(new String(a.manifests().get("web.yaml"))).contains("REVISION: \"aaaa\"");
    });
    assertThat(store.get("edge-1", "web", 2)).isPresent();
    assertThat(publisher.renewExpiring(Duration.ofDays(7), 100)).as("renewed once, not again").isZero();
  }

  @Test
  void deliveringTheCurrentRevisionAgainPublishesNothing() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    String etag = targets.get("edge-1", "web").orElseThrow().etag();
    clock.advance(Duration.ofMinutes(5));

    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));

    assertThat(targets.get("edge-1", "web").orElseThrow().etag()).isEqualTo(etag);
  }

  @Test
  void aRollbackIsANewHigherSequencePointingToTheOlderRevision() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    publisher.deliver(PullReleases.release("edge-1", "web", "bbbb"));
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));

    PullTarget t = targets.get("edge-1", "web").orElseThrow();
    assertThat(t.sequence()).isEqualTo(3);
    assertThat(t.revision()).isEqualTo("aaaa");
    assertThat(verify("edge-1", "web", Installed.sequenceOnly(2))).isInstanceOf(Verification.Accepted.class);
  }

  @Test
  void sequencesSurviveARestartOfTheEngine() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    publisher.deliver(PullReleases.release("edge-1", "web", "bbbb"));
    db.close();
    db = Database.open(DatabaseSettings.embedded(dir.resolve("data")));
    targets = new JdbcPullTargets(db.transactions());
    reports = new JdbcAgentReports(db.transactions());

    newPublisher().deliver(PullReleases.release("edge-1", "web", "cccc"));

    assertThat(targets.get("edge-1", "web").orElseThrow().sequence()).isEqualTo(3);
  }

  @Test
  void aPublicationWakesTheSitesLongPolls() throws Exception {
    var waiting = watch.next("edge-1");
    var other = watch.next("edge-2");

    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));

    assertThat(waiting).isDone();
    assertThat(other).isNotDone();
  }

  @Test
  void onlyTheCurrentAndThePreviousBundleAreKept() throws Exception {
    for (String rev : List.of("r1", "r2", "r3", "r4")) publisher.deliver(PullReleases.release("edge-1", "web", rev));

    assertThat(store.get("edge-1", "web", 4)).isPresent();
    assertThat(store.get("edge-1", "web", 3)).isPresent();
    assertThat(store.get("edge-1", "web", 2)).isEmpty();
  }

  @Test
  void anOfflineSiteIsNoErrorItsBundleWaits() throws Exception {
    publisher.deliver(PullReleases.release("edge-9", "web", "aaaa"));

    assertThat(publisher.statuses("web")).isEmpty();
    assertThat(targets.of("edge-9")).hasSize(1);
  }

  @Test
  void statusesAreTheAgentsReportsEachTakenOnce() throws Exception {
    AgentReport applied = new AgentReport(1, "web", "aaaa", 1, Health.PROGRESSING, T0, "applied", null, null);
    AgentReport healthy = new AgentReport(2, "web", "aaaa", 1, Health.HEALTHY, T0.plusSeconds(5), "", null, null);

    assertThat(reports.take("edge-1", "q1", List.of(applied))).isEqualTo(1);
    assertThat(reports.take("edge-1", "q1", List.of(applied, healthy))).isEqualTo(2);
    // a replay of an old report after a newer one changes nothing
    assertThat(reports.take("edge-1", "q1", List.of(applied))).isEqualTo(2);

    assertThat(publisher.statuses("web")).singleElement().satisfies(r -> {
      assertThat(r.site()).isEqualTo("edge-1");
      assertThat(r.revision()).isEqualTo("aaaa");
      assertThat(r.health()).isEqualTo(Health.HEALTHY);
    });
  }

  @Test
  void aReportAfterAGapIsNotTakenUntilTheGapIsFilled() throws Exception {
    AgentReport third = new AgentReport(3, "web", "bbbb", 2, Health.HEALTHY, T0, "", null, null);

    assertThat(reports.take("edge-1", "q1", List.of(third))).isZero();
    assertThat(publisher.statuses("web")).isEmpty();
  }

  @Test
  void aNewQueueEpochStartsCountingAfresh() throws Exception {
    reports.take("edge-1", "q1", List.of(new AgentReport(1, "web", "aaaa", 1, Health.HEALTHY, T0, "", null, null),
        new AgentReport(2, "web", "aaaa", 1, Health.HEALTHY, T0, "", null, null)));

    long taken = reports.take("edge-1", "q2", List.of(new AgentReport(1, "web", "bbbb", 2, Health.HEALTHY, T0.plusSeconds(1), "", null, null)));

    assertThat(taken).isEqualTo(1);
    assertThat(publisher.statuses("web")).extracting(SiteReport::revision).containsExactly("bbbb");
  }

  @Test
  void aHoldIsShownInTheSitesMessage() throws Exception {
    reports.take("edge-1", "q1", List.of(new AgentReport(1, "web", "aaaa", 1, Health.HEALTHY, T0, "", T0.plusSeconds(3600), "inventory count")));

    assertThat(publisher.statuses("web")).singleElement().satisfies(r ->
        assertThat(r.message()).isEqualTo("on hold until 2026-12-10T11:00:00Z: inventory count"));
  }

  @Test
  void bundlesCanLiveInTheDatabaseForReplicas() throws Exception {
    JdbcBundleStore inDb = new JdbcBundleStore(db.transactions());
    BundlePublisher replicaPublisher = BundlePublisher.signingWith(PullKeys.SIGNING, targets, inDb, reports, SiteKeys.NONE, watch, clock,
        Duration.ofDays(30));

    for (String rev : List.of("r1", "r2", "r3")) replicaPublisher.deliver(PullReleases.release("edge-1", "web", rev));

    PullTarget t = targets.get("edge-1", "web").orElseThrow();
    assertThat(inDb.get("edge-1", "web", 3)).hasValueSatisfying(tar -> assertThat(BundlePublisher.etag(3, tar)).isEqualTo(t.etag()));
    assertThat(inDb.get("edge-1", "web", 2)).isPresent();
    assertThat(inDb.get("edge-1", "web", 1)).isEmpty();
  }

  @Test
  void aTargetMovesOnlyFromTheSequenceThePublisherRead() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    PullTarget one = targets.get("edge-1", "web").orElseThrow();
    PullTarget two = new PullTarget("edge-1", "web", 2, "bbbb", "r", "2-x", 1, T0);

    assertThat(targets.advance(two, 0)).as("insert over an existing target").isFalse();
    assertThat(targets.advance(two, 5)).as("move from a sequence that is not stored").isFalse();
    assertThat(targets.advance(two, one.sequence())).isTrue();
    assertThat(targets.get("edge-1", "web").orElseThrow().revision()).isEqualTo("bbbb");
  }
}
