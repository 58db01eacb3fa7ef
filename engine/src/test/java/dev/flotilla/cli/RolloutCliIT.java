package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.Json;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.SmallFleet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API and the rollout CLI against a running engine (real Git, kustomize, H2, Quartz, Javalin). */
class RolloutCliIT {
  @TempDir Path dir;
  GitFixture git;
  SimulatedDelivery sites;
  SteppedClock clock;
  Engine engine;
  String id;
  final HttpClient http = HttpClient.newHttpClient();

  /** What one CLI run printed and returned. */
  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    String revision = git.commit("web 1.0");
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    engine = Engine.start(EngineConfig.defaults(git.workTree().toString(), dir.resolve("data")).withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock), sites, new CiStatuses.Recorded(CiStatus.PASSED));
    id = "web-" + revision.substring(0, 12);
    engine.step();
    sites.tick();
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
    sites.close();
    git.close();
  }

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(engine.apiUri() + path));
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  Run cli(String... args) {
    return cliAt(engine.apiUri().toString(), args);
  }

  Run cliAt(String server, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 2];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--server";
      all[args.length + 1] = server;
      return new Run(Main.run(all), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void theRolloutListPagesAndRefusesAPageOutOfBounds() throws Exception {
    JsonNode first = Json.mapper().readTree(call("GET", "/api/v1/rollouts?limit=1", null).body());
    JsonNode all = Json.mapper().readTree(call("GET", "/api/v1/rollouts", null).body());
    assertThat(first).hasSize(1);
    assertThat(first.get(0).get("id")).isEqualTo(all.get(0).get("id"));
    assertThat(Json.mapper().readTree(call("GET", "/api/v1/rollouts?offset=" + all.size(), null).body())).isEmpty();
    HttpResponse<String> tooMany = call("GET", "/api/v1/rollouts?limit=5000", null);
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(tooMany.body()).get("reason").asText()).contains("limit must be 1..500");
  }

  @Test
  void rolloutsAreListedWithTheirWavesAndTheGateTheyWaitOn() throws Exception {
    HttpResponse<String> response = call("GET", "/api/v1/rollouts", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode rollout = Json.mapper().readTree(response.body()).get(0);
    assertThat(rollout.get("id").asText()).isEqualTo(id);
    assertThat(rollout.get("state").asText()).isEqualTo("RUNNING");
    assertThat(rollout.get("waves").get(0).get("name").asText()).isEqualTo("canary");
    assertThat(rollout.get("waves").get(0).get("updating").asInt() + rollout.get("waves").get(0).get("done").asInt()).isEqualTo(1);
  }

  @Test
  void oneRolloutShowsEverySite() throws Exception {
    JsonNode rollout = Json.mapper().readTree(call("GET", "/api/v1/rollouts/" + id, null).body());

    assertThat(rollout.get("sites")).hasSize(7);
    assertThat(rollout.get("sites").get(0).get("site").asText()).isEqualTo("hub-1");
  }

  @Test
  void unknownRolloutIsA404WithAReason() throws Exception {
    HttpResponse<String> response = call("GET", "/api/v1/rollouts/nope", null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(Json.mapper().readTree(response.body()).get("reason").asText()).contains("no rollout with id 'nope'");
  }

  @Test
  void commandThatDoesNotFitTheStateIsA409ThatSaysWhy() throws Exception {
    assertThat(call("POST", "/api/v1/rollouts/" + id + "/pause", "{\"actor\":\"alice\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> again = call("POST", "/api/v1/rollouts/" + id + "/pause", "{\"actor\":\"alice\"}");

    assertThat(again.statusCode()).isEqualTo(409);
    JsonNode error = Json.mapper().readTree(again.body());
    assertThat(error.get("error").asText()).isEqualTo("conflict");
    assertThat(error.get("reason").asText()).contains(id).containsIgnoringCase("paused");
  }

  @Test
  void promotingAWaveTheRolloutHasLeftIsRefusedNotAppliedToTheNextWave() throws Exception {
    for (int i = 0; i < 30 && engine.operations().get(id).currentWave() == 0; i++) {
      clock.advance(Duration.ofSeconds(10));
      engine.step();
      sites.tick();
    }
    assertThat(engine.operations().get(id).currentWave()).isEqualTo(1);

    HttpResponse<String> late = call("POST", "/api/v1/rollouts/" + id + "/promote", "{\"actor\":\"dave\",\"wave\":\"canary\"}");

    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(Json.mapper().readTree(late.body()).get("reason").asText()).contains("no longer at wave canary");
    assertThat(engine.operations().get(id).waves().get(1).phase()).isNotEqualTo("PASSED");
  }

  @Test
  void unknownCommandIsA400() throws Exception {
    assertThat(call("POST", "/api/v1/rollouts/" + id + "/explode", "{}").statusCode()).isEqualTo(400);
  }

  @Test
  void anAtOutsideNowMinusAMinuteToNowPlusAYearIsA400AndStoresNothing() throws Exception {
    Instant now = clock.instant();
    for (String at : new String[] {"12", "\"" + now.minus(Duration.ofMinutes(2)) + "\"", "\"" + now.plus(Duration.ofDays(400)) + "\"",
        "\"+1000000000-01-01T00:00:00Z\"", "\"soon\""}) {
      HttpResponse<String> response = call("POST", "/api/v1/rollouts/" + id + "/promote", "{\"at\":" + at + "}");

      assertThat(response.statusCode()).as(at + ": " + response.body()).isEqualTo(400);
      assertThat(Json.mapper().readTree(response.body()).get("reason").asText()).contains("'at'");
    }
    HttpResponse<String> pauseAt = call("POST", "/api/v1/rollouts/" + id + "/pause", "{\"at\":\"" + now.plusSeconds(60) + "\"}");

    assertThat(pauseAt.statusCode()).isEqualTo(400);
    assertThat(engine.operations().audit(id, 500, 0)).noneMatch(a -> a.kind().equals("promotion-scheduled"));
    assertThat(engine.operations().pendingPromotions()).isEmpty();
    assertThat(engine.operations().get(id).state()).isEqualTo("RUNNING");
  }

  @Test
  void anAuditLimitOutsideOneToAThousandIsA400() throws Exception {
    for (String limit : new String[] {"0", "-1", "1001"}) {
      HttpResponse<String> response = call("GET", "/api/v1/audit?limit=" + limit, null);
      assertThat(response.statusCode()).as(limit).isEqualTo(400);
      assertThat(response.body()).contains("limit must be 1..1000");
    }
    assertThat(call("GET", "/api/v1/audit?limit=1000", null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/audit?after=-5", null).statusCode()).isEqualTo(400);
  }

  @Test
  void auditLogRecordsWhoDidWhat() throws Exception {
    call("POST", "/api/v1/rollouts/" + id + "/pause", "{\"actor\":\"alice\",\"comment\":\"lunch\"}");

    JsonNode audit = Json.mapper().readTree(call("GET", "/api/v1/audit?rollout=" + id, null).body());

    assertThat(audit.findValuesAsText("actor")).contains("alice", "engine");
  }

  @Test
  void sitesShowWhatEachRunsAfterTheRollout() throws Exception {
    for (int i = 0; i < 100 && !engine.operations().get(id).state().equals("COMPLETED"); i++) {
      clock.advance(Duration.ofSeconds(10));
      engine.step();
      sites.tick();
    }
    JsonNode all = Json.mapper().readTree(call("GET", "/api/v1/sites", null).body());

    assertThat(all).hasSize(7);
    assertThat(all.findValuesAsText("revision")).hasSize(7).allSatisfy(r -> assertThat(r).startsWith(id.substring(4)));
    assertThat(all.findValuesAsText("health")).containsOnly("HEALTHY");
  }

  @Test
  void syncStatusShowsTheFollowedRevisionAndKeepsItWhenTheRepoIsGone() throws Exception {
    JsonNode before = Json.mapper().readTree(call("GET", "/api/v1/sync", null).body());
    assertThat(before.get("revision").asText()).startsWith(id.substring(4));
    assertThat(before.get("lastError").isNull()).isTrue();

    java.nio.file.Files.move(git.workTree().resolve(".git"), dir.resolve("moved.git"));
    call("POST", "/api/v1/sync", "{}");
    JsonNode after = Json.mapper().readTree(call("GET", "/api/v1/sync", null).body());
    engine.step();

    assertThat(after.get("revision").asText()).isEqualTo(before.get("revision").asText());
    assertThat(after.get("lastError").asText()).isNotBlank();
    assertThat(engine.operations().get(id).state()).isEqualTo("RUNNING");
    java.nio.file.Files.move(dir.resolve("moved.git"), git.workTree().resolve(".git"));
  }

  @Test
  void aBrokenRevisionShowsInSyncAsAnAttemptWithFileAndLine() throws Exception {
    git.write("sites/broken.yaml", "apiVersion: flotilla.dev/v1\nkind: Site\nmetadata: {name: hub-9}\nspec:\n  tier: hub\n  tiree: x\n");
    String broken = git.commit("a site with a typo");

    call("POST", "/api/v1/sync", "{}");
    call("POST", "/api/v1/sync", "{}");
    JsonNode sync = Json.mapper().readTree(call("GET", "/api/v1/sync", null).body());

    assertThat(sync.get("revision").asText()).startsWith(id.substring(4));
    assertThat(sync.get("lastError").asText()).contains(broken).contains("sites/broken.yaml:");
    JsonNode attempts = sync.get("attempts");
    assertThat(attempts.size()).isGreaterThanOrEqualTo(2); // the start's sync, and the two above as one
    assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("invalid");
    assertThat(attempts.get(0).get("revision").asText()).isEqualTo(broken);
    assertThat(attempts.get(0).get("at").asText()).isNotBlank();
    java.util.List<String> problems = new java.util.ArrayList<>();
    attempts.get(0).get("problems").forEach(p -> problems.add(p.asText()));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sites/broken.yaml:6").contains("tiree"));
    // The startup poll (Quartz startNow) may come after the commit and repeat it too.
    assertThat(attempts.get(0).get("count").asInt()).as("the same invalid revision twice is one attempt").isBetween(2, 3);
    assertThat(attempts.get(0).get("lastAt").asText()).isNotBlank();
    assertThat(attempts.get(1).get("outcome").asText()).isNotEqualTo("invalid");
  }

  @Test
  void aSyncLimitOutsideOneToTwoHundredIsA400() throws Exception {
    for (String limit : new String[] {"0", "-1", "201", "ten"}) {
      HttpResponse<String> response = call("GET", "/api/v1/sync?limit=" + limit, null);
      assertThat(response.statusCode()).as(limit).isEqualTo(400);
      assertThat(response.body()).contains("limit");
    }
    assertThat(call("GET", "/api/v1/sync?limit=201", null).body()).contains("limit must be 1..200");
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String next = git.commit("web 2.0");
    call("POST", "/api/v1/sync", "{}");

    JsonNode one = Json.mapper().readTree(call("GET", "/api/v1/sync?limit=1", null).body());
    JsonNode all = Json.mapper().readTree(call("GET", "/api/v1/sync?limit=200", null).body());
    assertThat(one.get("attempts").size()).isEqualTo(1);
    assertThat(one.get("attempts").get(0).get("revision").asText()).isEqualTo(next);
    assertThat(all.get("attempts").size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aReleaseThatFailsToRenderShowsItsReasonInTheApi() throws Exception {
    git.write("apps/web/overlays/hub/kustomization.yaml", "resources: [../../base, missing.yaml]\nnamespace: web\n");
    String bad = git.commit("hub overlay names a file that is not there");

    call("POST", "/api/v1/sync", "{}");
    JsonNode releases = Json.mapper().readTree(call("GET", "/api/v1/releases?app=web", null).body());
    JsonNode sync = Json.mapper().readTree(call("GET", "/api/v1/sync", null).body());

    JsonNode failed = null;
    for (JsonNode r : releases) if (r.get("revision").asText().equals(bad)) failed = r;
    assertThat(failed).as(releases.toString()).isNotNull();
    assertThat(failed.get("state").asText()).isEqualTo("FAILED");
    assertThat(failed.get("error").asText()).contains("missing.yaml");
    assertThat(sync.get("attempts").get(0).get("failedReleases").get("web").asText()).contains("missing.yaml");
    assertThat(call("GET", "/api/v1/releases", null).statusCode()).isEqualTo(400);
  }

  @Test
  void scheduledPromotionRunsAtItsTimeAsAQuartzJob() throws Exception {
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(5));
      engine.step();
      sites.tick();
    }
    assertThat(engine.operations().get(id).waitingOn()).contains("soak");
    Instant at = clock.instant().plusSeconds(1);

    Run promote = cli("rollout", "promote", id, "--at", at.toString(), "--actor", "carol");
    assertThat(promote.exit()).as(promote.err()).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && engine.operations().audit(id, 500, 0).stream()
        .noneMatch(a -> a.actor().equals("carol") && !a.kind().equals("promotion-scheduled"))) {
      Thread.sleep(100);
    }
    engine.step();

    assertThat(engine.operations().get(id).currentWave()).isEqualTo(1);
    assertThat(engine.operations().audit(id, 500, 0)).anySatisfy(a -> {
      assertThat(a.actor()).isEqualTo("carol");
      assertThat(a.kind()).isNotEqualTo("promotion-scheduled");
    });
  }

  @Test
  void cliListsStatusesAndSteers() {
    Run list = cli("rollout", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains(id, "RUNNING", "canary");

    Run status = cli("rollout", "status", id);
    assertThat(status.out()).contains("> canary", "[", "hubs", "edge").doesNotContain("\u001b[");

    Run pause = cli("rollout", "pause", id, "--actor", "bob");
    assertThat(pause.exit()).isZero();
    assertThat(pause.out()).contains("pause " + id + ": PAUSED");

    Run twice = cli("rollout", "pause", id);
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("HTTP 409");
  }

  @Test
  void cliSaysWhenTheServerIsNotThere() throws Exception {
    String server = engine.apiUri().toString();
    engine.close();
    Run list = cliAt(server, "rollout", "list");

    assertThat(list.exit()).isEqualTo(1);
    assertThat(list.err()).contains("cannot reach the Flotilla server");
    engine = Engine.start(EngineConfig.defaults(git.workTree().toString(), dir.resolve("data")).withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1)).withClock(clock), sites, new CiStatuses.Recorded(CiStatus.PASSED));
  }
}
