package dev.flotilla.app;

import dev.flotilla.api.BundleRoutes;
import dev.flotilla.api.RouteTable;
import dev.flotilla.api.TrustRoutes;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.delivery.pull.BundlePublisher;
import dev.flotilla.delivery.pull.BundleStore;
import dev.flotilla.delivery.pull.FileBundleStore;
import dev.flotilla.delivery.pull.ServedTrust;
import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.delivery.pull.SiteKeys;
import dev.flotilla.delivery.pull.TargetCache;
import dev.flotilla.delivery.pull.TargetWatch;
import dev.flotilla.delivery.pull.TransferSlots;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.store.Database;
import dev.flotilla.store.JdbcAgentReports;
import dev.flotilla.store.JdbcBundleStore;
import dev.flotilla.store.JdbcPullTargets;
import dev.flotilla.store.JdbcSiteTokens;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pull delivery wired for the engine: the {@link BundlePublisher} the delivery workers call, and the
 * {@link BundleRoutes} and {@link TrustRoutes} agents poll, sharing one database, one bundle store and one {@link
 * TargetWatch} (a publication wakes the long polls of its site). To route push and pull sites of one
 * fleet, wrap {@link #delivery(Database)} with the push adapter in a router and keep {@link #routes()}.
 */
public final class PullDelivery implements DeliveryWiring {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PullDelivery.class);

  /** Where bundles are kept: files under the data folder (one engine), or the database (replicas). */
  public enum Storage { FILES, DATABASE }

  /** How pull delivery is configured; {@link #defaults} works on a laptop. */
  public record Settings(SigningKey signingKey, Path dataDir, Storage storage, Path siteKeysDir, Duration validity, int maxTransfers,
      BundleRoutes.Settings serving, Clock clock, Path trustDir) {
    public static Settings defaults(SigningKey key, Path dataDir, Clock clock) {
      return new Settings(key, dataDir, Storage.FILES, null, BundlePublisher.DEFAULT_VALIDITY, 32, BundleRoutes.Settings.DEFAULT, clock, null);
    }

    public Settings withStorage(Storage s) {
      return new Settings(signingKey, dataDir, s, siteKeysDir, validity, maxTransfers, serving, clock, trustDir);
    }

    public Settings withServing(BundleRoutes.Settings s, int transfers) {
      return new Settings(signingKey, dataDir, storage, siteKeysDir, validity, transfers, s, clock, trustDir);
    }

    public Settings withSiteKeys(Path dir) {
      return new Settings(signingKey, dataDir, storage, dir, validity, maxTransfers, serving, clock, trustDir);
    }

    /** The key folder whose trust documents agents are served ({@code trust/<N>.json}, {@code trust.json}); null serves none. */
    public Settings withTrustDir(Path dir) {
      return new Settings(signingKey, dataDir, storage, siteKeysDir, validity, maxTransfers, serving, clock, dir);
    }
  }

  /** How often the trust folder is read again, so a rotation reaches agents without a restart. */
  static final Duration TRUST_RECHECK = Duration.ofSeconds(5);

  private final Settings settings;
  private final TargetWatch watch = new TargetWatch();
  private final ExecutorService afterWait;
  /** Renews bundles that near their expiry, hourly, so an agent offline for weeks still finds one it may install. */
  private final java.util.concurrent.ScheduledExecutorService renewal = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "flotilla-bundle-renewal");
    t.setDaemon(true);
    return t;
  });
  private BundlePublisher publisher;
  private BundleRoutes routes;
  private TrustRoutes trustRoutes;

  public PullDelivery(Settings settings) {
    this.settings = settings;
    AtomicInteger n = new AtomicInteger();
    this.afterWait = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "flotilla-long-poll-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public synchronized BundlePublisher delivery(Database db) throws StoreException {
    if (publisher != null) return publisher;
    JdbcPullTargets targets = new JdbcPullTargets(db.transactions());
    JdbcAgentReports reports = new JdbcAgentReports(db.transactions());
    BundleStore store = settings.storage() == Storage.DATABASE
        ? new JdbcBundleStore(db.transactions())
        : new FileBundleStore(settings.dataDir().resolve("bundles"));
    SiteKeys siteKeys = settings.siteKeysDir() == null ? SiteKeys.NONE : SiteKeys.folder(settings.siteKeysDir());
    publisher = BundlePublisher.signingWith(settings.signingKey(), targets, store, reports, siteKeys, watch, settings.clock(),
        settings.validity());
    BundlePublisher made = publisher;
    renewal.scheduleWithFixedDelay(() -> {
      try {
        made.renewExpiring(settings.validity().dividedBy(4), 1_000);
      } catch (StoreException | RuntimeException e) {
        LOG.warn("pull: renewing bundles near their expiry failed; tried again in an hour: {}", e.getMessage());
      }
    }, 1, 60, java.util.concurrent.TimeUnit.MINUTES);
    SiteAuth auth = new SiteAuth(new JdbcSiteTokens(db.transactions(), settings.clock()), settings.clock(), Duration.ofSeconds(60));
    routes = new BundleRoutes(new TargetCache(targets, watch, settings.clock(), Duration.ofSeconds(2)), store, reports, auth, watch, new TransferSlots(settings.maxTransfers()), afterWait,
        settings.serving(), new SplittableRandom(), settings.clock());
    ServedTrust trust = settings.trustDir() == null ? ServedTrust.NONE : new ServedTrust(settings.trustDir(), settings.clock(), TRUST_RECHECK);
    trust.chain(); // read (and log what it serves) at start
    trustRoutes = new TrustRoutes(trust, reports, auth);
    return publisher;
  }

  /** The agents' routes; served once {@link #delivery(Database)} has been made (the engine makes it first). */
  @Override
  public RouteTable routes() {
    return r -> {
      BundleRoutes made;
      TrustRoutes trust;
      synchronized (this) {
        made = routes;
        trust = trustRoutes;
      }
      if (made == null) throw new IllegalStateException("pull delivery's routes asked before its adapter was made");
      made.addTo(r);
      trust.addTo(r);
    };
  }

  public TargetWatch watch() {
    return watch;
  }
}
