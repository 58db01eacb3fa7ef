package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.pull.BundlePublisher;
import dev.flotilla.delivery.pull.FileBundleStore;
import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.delivery.pull.SiteKeys;
import dev.flotilla.delivery.pull.TargetCache;
import dev.flotilla.delivery.pull.TargetWatch;
import dev.flotilla.delivery.pull.TransferSlots;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcAgentReports;
import dev.flotilla.store.JdbcPullTargets;
import dev.flotilla.store.JdbcSiteTokens;
import dev.flotilla.testing.PullKeys;
import dev.flotilla.testing.PullReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agents' routes on a real server (Javalin on loopback) over embedded H2: tokens, ETags, long polls, reports. */
class BundleRoutesTest {
  static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");

  @TempDir Path dir;
  Database db;
  HttpServer server;
  BundlePublisher publisher;
  TransferSlots slots = new TransferSlots(2);
  HttpClient http = HttpClient.newHttpClient();
  String edge1;
  String edge2;

  @BeforeEach
  void start() throws Exception {
    SteppedClock clock = new SteppedClock(T0);
    db = Database.open(DatabaseSettings.embedded(dir.resolve("data")));
    JdbcPullTargets targets = new JdbcPullTargets(db.transactions());
    JdbcAgentReports reports = new JdbcAgentReports(db.transactions());
    FileBundleStore store = new FileBundleStore(dir.resolve("bundles"));
    TargetWatch watch = new TargetWatch();
    publisher = BundlePublisher.signingWith(PullKeys.SIGNING, targets, store, reports, SiteKeys.NONE, watch, clock, Duration.ofDays(30));
    JdbcSiteTokens tokens = new JdbcSiteTokens(db.transactions(), clock);
    edge1 = SiteAuth.issue(tokens, "edge-1", new SecureRandom());
    edge2 = SiteAuth.issue(tokens, "edge-2", new SecureRandom());
    BundleRoutes routes = new BundleRoutes(new TargetCache(targets, watch, clock, Duration.ofSeconds(2)), store, reports, new SiteAuth(tokens, clock, Duration.ofSeconds(60)), watch, slots,
        Executors.newSingleThreadExecutor(), new BundleRoutes.Settings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5), 100),
        new SplittableRandom(1), clock);
    server = HttpServer.start("127.0.0.1", 0, routes, Json.mapper());
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  HttpResponse<byte[]> get(String path, String token, String etag) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(20));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (etag != null) b.header("If-None-Match", etag);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> postReports(String site, String token, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/sites/" + site + "/reports"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutATokenTheAnswerIs401() throws Exception {
    HttpResponse<byte[]> r = get("/api/v1/sites/edge-1/bundles", null, null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void anUnknownTokenIs401() throws Exception {
    assertThat(get("/api/v1/sites/edge-1/bundles", SiteAuth.PREFIX + "made-up", null).statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenOfOneSiteAskingForAnothersBundleIs403() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));

    HttpResponse<byte[]> r = get("/api/v1/sites/edge-1/bundles/web", edge2, null);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new String(r.body())).contains("edge-2").doesNotContain("PK").doesNotContain("envelope");
  }

  @Test
  void aTokenOfOneSiteCannotReportForAnother() throws Exception {
    HttpResponse<String> r = postReports("edge-1", edge2, "{\"queue\":\"q\",\"reports\":[]}");

    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void theListNamesTheCurrentTargetPerAppWithItsEtag() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    publisher.deliver(PullReleases.release("edge-1", "pos", "bbbb"));
    publisher.deliver(PullReleases.release("edge-1", "web", "cccc"));

    HttpResponse<byte[]> r = get("/api/v1/sites/edge-1/bundles", edge1, null);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode list = Json.mapper().readTree(r.body());
    assertThat(list.get("bundles")).hasSize(2);
    assertThat(list.get("bundles").get(1).get("app").asText()).isEqualTo("web");
    assertThat(list.get("bundles").get(1).get("sequence").asLong()).isEqualTo(2);
    assertThat(list.get("bundles").get(1).get("revision").asText()).isEqualTo("cccc");
    assertThat(r.headers().firstValue("ETag")).isPresent();
    assertThat(get("/api/v1/sites/edge-1/bundles", edge1, r.headers().firstValue("ETag").get()).statusCode()).isEqualTo(304);
  }

  @Test
  void theBundleIsATarOfEnvelopeAndManifestsAnd304OnItsEtag() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));

    HttpResponse<byte[]> r = get("/api/v1/sites/edge-1/bundles/web", edge1, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(BundleRoutes.TAR);
    assertThat(new String(r.body(), 0, 13)).isEqualTo("envelope.json");
    String etag = r.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> again = get("/api/v1/sites/edge-1/bundles/web", edge1, etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("Retry-After")).hasValue("30");
  }

  @Test
  void anAppWithoutABundleIs404() throws Exception {
    assertThat(get("/api/v1/sites/edge-1/bundles/web", edge1, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aLongPollReturnsWhenTheTargetMoves() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    String etag = get("/api/v1/sites/edge-1/bundles/web", edge1, null).headers().firstValue("ETag").orElseThrow();

    long started = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return get("/api/v1/sites/edge-1/bundles/web?wait=10", edge1, etag);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(500);
    assertThat(waiting).isNotDone();
    publisher.deliver(PullReleases.release("edge-1", "web", "bbbb"));

    HttpResponse<byte[]> r = waiting.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Flotilla-Sequence")).hasValue("2");
    assertThat(r.headers().firstValue("Retry-After")).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void aLongPollWithoutChangeEndsAtItsDeadlineWith304AndComeBackAtOnce() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    String etag = get("/api/v1/sites/edge-1/bundles", edge1, null).headers().firstValue("ETag").orElseThrow();

    long started = System.nanoTime();
    HttpResponse<byte[]> r = get("/api/v1/sites/edge-1/bundles?wait=1", edge1, etag);

    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(r.headers().firstValue("Retry-After")).hasValue("0");
  }

  @Test
  void whenEveryTransferSlotIsTakenTheAnswerIs503WithRetryAfter() throws Exception {
    publisher.deliver(PullReleases.release("edge-1", "web", "aaaa"));
    var a = slots.tryTake().orElseThrow();
    var b = slots.tryTake().orElseThrow();

    HttpResponse<byte[]> r = get("/api/v1/sites/edge-1/bundles/web", edge1, null);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(5L, 10L);
    a.release();
    b.release();
    assertThat(get("/api/v1/sites/edge-1/bundles/web", edge1, null).statusCode()).isEqualTo(200);
    // the slot is given back when the server has closed the body, just after the client read it
    for (int i = 0; i < 100 && slots.inUse() > 0; i++) Thread.sleep(20);
    assertThat(slots.inUse()).isZero();
  }

  @Test
  void reportsAreTakenOnceEvenWhenPostedAgain() throws Exception {
    String body = "{\"queue\":\"q1\",\"reports\":[{\"seq\":1,\"app\":\"web\",\"revision\":\"aaaa\",\"sequence\":1,\"health\":\"PROGRESSING\","
        + "\"observedAt\":\"2026-12-10T10:00:00Z\"},{\"seq\":2,\"app\":\"web\",\"revision\":\"aaaa\",\"sequence\":1,\"health\":\"HEALTHY\","
        + "\"observedAt\":\"2026-12-10T10:00:05Z\"}]}";

    HttpResponse<String> first = postReports("edge-1", edge1, body);
    HttpResponse<String> replay = postReports("edge-1", edge1, body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(first.body()).get("seq").asLong()).isEqualTo(2);
    assertThat(Json.mapper().readTree(replay.body()).get("seq").asLong()).isEqualTo(2);
    assertThat(publisher.statuses("web")).singleElement().satisfies(s -> {
      assertThat(s.site()).isEqualTo("edge-1");
      assertThat(s.health()).hasToString("HEALTHY");
    });
  }

  @Test
  void aMalformedReportIs400() throws Exception {
    assertThat(postReports("edge-1", edge1, "{\"queue\":\"q1\",\"reports\":[{\"seq\":0}]}").statusCode()).isEqualTo(400);
  }
}
