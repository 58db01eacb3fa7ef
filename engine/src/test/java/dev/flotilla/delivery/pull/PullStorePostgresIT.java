package dev.flotilla.delivery.pull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcAgentReports;
import dev.flotilla.store.JdbcBundleStore;
import dev.flotilla.store.JdbcPullTargets;
import dev.flotilla.store.JdbcSiteTokens;
import dev.flotilla.testing.PostgresServer;
import dev.flotilla.testing.PullKeys;
import dev.flotilla.testing.PullReleases;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pull delivery's tables (migration V8) on a real PostgreSQL, as replicas use them: bundles in the database, sequences, tokens, reports. */
class PullStorePostgresIT {
  static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");
  private static PostgresServer server;
  private static Database db;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.start();
    db = Database.open(DatabaseSettings.of(server.createDatabase("pull"), PostgresServer.USER, ""));
  }

  @AfterAll
  static void stop() {
    if (db != null) db.close();
    if (server != null) server.close();
  }

  @Test
  void publishingServingAndReportingWorkOnPostgres() throws Exception {
    SteppedClock clock = new SteppedClock(T0);
    JdbcPullTargets targets = new JdbcPullTargets(db.transactions());
    JdbcBundleStore store = new JdbcBundleStore(db.transactions());
    JdbcAgentReports reports = new JdbcAgentReports(db.transactions());
    BundlePublisher publisher = BundlePublisher.signingWith(PullKeys.SIGNING, targets, store, reports, SiteKeys.NONE, new TargetWatch(), clock,
        Duration.ofDays(30));

    for (String rev : List.of("r1", "r2", "r1")) publisher.deliver(PullReleases.release("edge-1", "web", rev));
    String token = SiteAuth.issue(new JdbcSiteTokens(db.transactions(), clock), "edge-1", new SecureRandom());
    AgentReport applied = new AgentReport(1, "web", "r1", 3, Health.PROGRESSING, T0, "", null, null);
    AgentReport healthy = new AgentReport(2, "web", "r1", 3, Health.HEALTHY, T0.plusSeconds(1), "", T0.plusSeconds(60), "count");

    assertThat(targets.get("edge-1", "web").orElseThrow().sequence()).isEqualTo(3);
    assertThat(store.get("edge-1", "web", 3)).isPresent();
    assertThat(store.get("edge-1", "web", 1)).isEmpty();
    assertThat(new SiteAuth(new JdbcSiteTokens(db.transactions(), clock), clock, Duration.ofSeconds(1)).siteOf(token)).hasValue("edge-1");
    assertThat(reports.take("edge-1", "q", List.of(applied, healthy))).isEqualTo(2);
    assertThat(reports.take("edge-1", "q", List.of(applied, healthy))).isEqualTo(2);
    assertThat(publisher.statuses("web")).singleElement().satisfies(r -> {
      assertThat(r.health()).isEqualTo(Health.HEALTHY);
      assertThat(r.message()).startsWith("on hold until");
    });
  }
}
