package dev.flotilla.bench;

import dev.flotilla.api.BundleRoutes;
import dev.flotilla.api.HttpServer;
import dev.flotilla.api.Json;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.bundle.TrustDocument;
import dev.flotilla.bundle.TrustedKey;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.pull.BundlePublisher;
import dev.flotilla.delivery.pull.FileBundleStore;
import dev.flotilla.delivery.pull.PullTarget;
import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.delivery.pull.SiteKeys;
import dev.flotilla.delivery.pull.TargetCache;
import dev.flotilla.delivery.pull.TargetWatch;
import dev.flotilla.delivery.pull.TransferSlots;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Site;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcAgentReports;
import dev.flotilla.store.JdbcPullTargets;
import dev.flotilla.store.JdbcSiteTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;

/**
 * The serving half of the reconnect storm, run in its own JVM (so its heap is its own, and the
 * client's sockets do not count against its file limit): the engine's pull routes over embedded
 * H2, N pull sites each with a token and a published bundle of app {@code web}. It writes
 * {@code clients.tsv} (site, token, ETag) and the same bundles as static files for nginx under
 * {@code www/}, prints {@code READY <port>}, and on a line {@code DONE} prints {@code HEAP <peak
 * bytes> <live bytes>} and exits.
 */
public final class StormServer {
  private StormServer() {}

  public static void run(Path dir, int sites, PrintStream out) throws StoreException, DeliveryException, IOException {
    Files.createDirectories(dir);
    Clock clock = Clock.systemUTC();
    try (Database db = Database.open(DatabaseSettings.embedded(dir.resolve("db")))) {
      JdbcPullTargets targets = new JdbcPullTargets(db.transactions());
      FileBundleStore store = new FileBundleStore(dir.resolve("bundles"));
      JdbcAgentReports reports = new JdbcAgentReports(db.transactions());
      JdbcSiteTokens tokens = new JdbcSiteTokens(db.transactions(), clock);
      TargetWatch watch = new TargetWatch();
      SigningKey key = SigningKey.generate(new SecureRandom());
      writeTrust(dir.resolve("trust.json"), key, clock);
      BundlePublisher publisher = BundlePublisher.signingWith(key, targets, store, reports, SiteKeys.NONE, watch, clock, Duration.ofDays(30));
      SecureRandom random = new SecureRandom();
      try (PrintWriter clients = new PrintWriter(Files.newBufferedWriter(dir.resolve("clients.tsv")))) {
        for (int i = 0; i < sites; i++) {
          String site = String.format("store-%05d", i);
          String token = SiteAuth.issue(tokens, site, random);
          publisher.deliver(release(site));
          PullTarget t = targets.get(site, "web").orElseThrow();
          byte[] tar = store.get(site, "web", t.sequence()).orElseThrow();
          Path file = dir.resolve("www/api/v1/sites/" + site + "/bundles/web");
          Files.createDirectories(file.getParent());
          Files.write(file, tar);
          clients.println(site + "\t" + token + "\t" + t.quotedEtag());
        }
      }
      BundleRoutes routes = new BundleRoutes(new TargetCache(targets, watch, clock, Duration.ofSeconds(2)), store, reports, new SiteAuth(tokens, clock, Duration.ofMinutes(5)), watch,
          new TransferSlots(64), Executors.newFixedThreadPool(2), BundleRoutes.Settings.DEFAULT, new SplittableRandom(), clock);
      try (HttpServer server = HttpServer.start("127.0.0.1", 0, routes, Json.mapper())) {
        HeapPeak.reset();
        out.println("READY " + server.port());
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("DONE")) {
          // wait for the client half
        }
        out.println("HEAP " + HeapPeak.bytes() + " " + HeapPeak.liveAfterGc() + " " + HeapPeak.maxHeap());
        out.flush();
      }
    }
  }

  /** A trust.json for agents of this storm (a fresh root, threshold 1), so a real agent can be pointed at it. */
  private static void writeTrust(Path file, SigningKey signing, Clock clock) throws IOException {
    SigningKey root = SigningKey.generate(new SecureRandom());
    java.time.Instant now = clock.instant();
    TrustDocument doc = new TrustDocument(1, 1, List.of(root.publicKey()),
        List.of(new TrustedKey(signing.publicKey(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)))), java.util.Set.of());
    Files.write(file, doc.sign(List.of(root)).toJson());
  }

  private static SiteRelease release(String site) {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: shop\ndata:\n  STORE: \"" + site + "\"\n";
    Site s = new Site(site, Map.of(), "edge", Delivery.PULL, ZoneId.of("UTC"), Map.of(), null);
    String revision = "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49";
    return new SiteRelease(s, "web", revision, "web-3f2a1c0d9e8b",
        new DesiredState(site, "web", revision, List.of(new Manifest("ConfigMap", "shop", "web", yaml))));
  }
}
