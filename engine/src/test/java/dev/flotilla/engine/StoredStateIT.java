package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.port.Quarantined;
import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.engine.view.HealthView;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored state the engine cannot use (a scheduled promotion that can never fire, a rollout whose
 * stored documents are damaged) stops only itself: refused or quarantined, shown by health, and
 * the engine starts and goes on. Real Git, kustomize, H2, Quartz.
 */
class StoredStateIT {
  static final String FREEZE_FOR_AGES = """
      apiVersion: flotilla.dev/v1
      kind: Fleet
      metadata: {name: shop}
      spec:
        tiers:
          - {name: hub, delivery: push}
          - {name: edge, delivery: pull}
        freezes:
          - name: forever
            start: "2026-01-01T00:00:00Z"
            end: "2200-01-01T00:00:00Z"
            reason: nothing moves
      """;

  @TempDir Path dir;
  GitFixture git;
  SteppedClock clock;
  SimulatedDelivery sites;
  Engine engine;

  @BeforeEach
  void fleet() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    sites.close();
    git.close();
  }

  Engine start() throws Exception {
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data")).withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock);
    engine = Engine.start(config, sites, new CiStatuses.Recorded(CiStatus.PASSED));
    return engine;
  }

  String onlyRollout() throws Exception {
    return engine.operations().list().get(0).id();
  }

  @Test
  void aPromotionAFreezeHoldsForGoodIsRefusedBeforeAnythingIsStored() throws Exception {
    git.write("fleet.yaml", FREEZE_FOR_AGES);
    git.commit("web 1.0, frozen");
    start();
    engine.step();
    String id = onlyRollout();

    assertThatThrownBy(() -> engine.operations().command(id, "promote",
        new CommandRequest("carol", null, null, clock.instant().plus(Duration.ofHours(1)))))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("'at'").hasMessageContaining("never run");

    assertThat(engine.operations().pendingPromotions()).isEmpty();
    assertThat(engine.operations().audit(id, 500, 0)).noneMatch(a -> a.kind().equals("promotion-scheduled"));
    assertThat(engine.operations().health().status()).isEqualTo("ok");
  }

  @Test
  void aStoredPromotionThatCanNoLongerFireIsQuarantinedAndTheEngineStillStarts() throws Exception {
    git.commit("web 1.0");
    start();
    engine.step();
    String id = onlyRollout();
    engine.operations().command(id, "promote", new CommandRequest("carol", null, null, clock.instant().plus(Duration.ofHours(1))));
    String promotion = engine.operations().pendingPromotions().get(0).id();
    engine.close();
    engine = null;
    git.write("fleet.yaml", FREEZE_FOR_AGES);
    git.commit("freeze until 2200");

    start();

    HealthView health = engine.operations().health();
    assertThat(health.status()).isEqualTo("degraded");
    assertThat(health.quarantined()).extracting(Quarantined::kind, Quarantined::id)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Quarantined.SCHEDULED_PROMOTION, promotion));
    assertThat(engine.operations().audit(null, 1000, 0)).anySatisfy(a -> assertThat(a.kind()).isEqualTo("quarantined"));
    engine.step(); // passes go on
    assertThat(engine.operations().get(id).state()).isEqualTo("RUNNING");
  }

  @Test
  void aRolloutWhoseStoredFormIsDamagedIsQuarantinedAndTheOthersGoOn() throws Exception {
    git.write("apps/api/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: api}\nspec:\n  targets: {}\n  policy: default\n")
        .write("apps/api/base/kustomization.yaml", "resources: [deploy.yaml]\n")
        .write("apps/api/base/deploy.yaml", SmallFleet.deployment("1.0").replace("name: web", "name: api"))
        .write("apps/api/overlays/hub/kustomization.yaml", "resources: [../../base]\nnamespace: api\n")
        .write("apps/api/overlays/edge/kustomization.yaml", "resources: [../../base]\nnamespace: api-edge\n");
    git.commit("web and api 1.0");
    start();
    engine.step();
    assertThat(engine.operations().list()).hasSize(2);
    String broken = engine.operations().list().stream().filter(r -> r.app().equals("web")).findFirst().orElseThrow().id();
    String healthy = engine.operations().list().stream().filter(r -> r.app().equals("api")).findFirst().orElseThrow().id();
    engine.close();
    engine = null;
    damage(broken);

    start();
    for (int i = 0; i < 100 && !engine.operations().get(healthy).state().equals("COMPLETED"); i++) {
      engine.step();
      sites.tick();
      clock.advance(Duration.ofSeconds(10));
    }

    assertThat(engine.operations().get(healthy).state()).isEqualTo("COMPLETED");
    HealthView health = engine.operations().health();
    assertThat(health.status()).isEqualTo("degraded");
    assertThat(health.quarantined()).extracting(Quarantined::id).containsExactly(broken);
    assertThat(engine.operations().quarantined()).singleElement().satisfies(q -> assertThat(q.reason()).contains("cannot be read"));
    assertThat(engine.operations().list()).extracting(RolloutView::id).containsExactly(healthy);
    assertThatThrownBy(() -> engine.operations().get(broken)).isInstanceOf(ConflictException.class).hasMessageContaining("quarantined");
    assertThat(engine.operations().audit(broken, 500, 0)).filteredOn(a -> a.kind().equals("quarantined")).hasSize(1);
  }

  private void damage(String rolloutId) throws Exception {
    try (dev.flotilla.store.Database db = dev.flotilla.store.Database.open(dev.flotilla.store.DatabaseSettings.embedded(dir.resolve("data")));
        Connection c = db.dataSource().getConnection();
        PreparedStatement update = c.prepareStatement("UPDATE rollouts SET header = ? WHERE id = ?")) {
      update.setString(1, "{\"format\":2,\"currentWave\":\"\u0000\u00ff garbage");
      update.setString(2, rolloutId);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
