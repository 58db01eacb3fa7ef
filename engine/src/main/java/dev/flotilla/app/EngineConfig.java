package dev.flotilla.app;

import dev.flotilla.engine.DeliveryWorkers;
import dev.flotilla.fleet.SignedCommits;
import dev.flotilla.git.GitAuth;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code flotilla serve} is configured with. Defaults work on a laptop: embedded H2 in
 * the data folder, the API on 127.0.0.1:8080, a sync every 30 s and a scheduling pass every second.
 */
public record EngineConfig(
    String repo,
    String branch,
    GitAuth auth,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String listenHost,
    int listenPort,
    Duration syncInterval,
    Duration tickInterval,
    boolean clustered,
    String kustomize,
    String prometheusUrl,
    Clock clock,
    int deliveryThreads,
    Duration deliveryTimeout,
    DeliveryWorkers.Backoff deliveryBackoff,
    List<String> allowedHosts,
    boolean reinitialize,
    Duration driftInterval,
    Optional<SignedCommits> pinnedSigners) {

  public EngineConfig {
    allowedHosts = List.copyOf(allowedHosts);
    pinnedSigners = pinnedSigners == null ? Optional.empty() : pinnedSigners;
    if (driftInterval == null || driftInterval.isNegative()) {
      throw new IllegalArgumentException("driftInterval must be zero (no drift checks) or more, got " + driftInterval);
    }
  }

  /** How often push sites are checked for drift, unless configured (Argo CD's reconciliation period). */
  public static final Duration DEFAULT_DRIFT_INTERVAL = Duration.ofMinutes(3);

  /** As before drift checks were configured: every {@link #DEFAULT_DRIFT_INTERVAL}. */
  public EngineConfig(String repo, String branch, GitAuth auth, Path dataDir, String dbUrl, String dbUser, String dbPassword,
      String listenHost, int listenPort, Duration syncInterval, Duration tickInterval, boolean clustered, String kustomize,
      String prometheusUrl, Clock clock, int deliveryThreads, Duration deliveryTimeout, DeliveryWorkers.Backoff deliveryBackoff,
      List<String> allowedHosts, boolean reinitialize) {
    this(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval, clustered, kustomize,
        prometheusUrl, clock, deliveryThreads, deliveryTimeout, deliveryBackoff, allowedHosts, reinitialize, DEFAULT_DRIFT_INTERVAL,
        Optional.empty());
  }

  /** Push sites checked for drift every {@code every} (zero: never; {@code serve --drift-interval}). */
  public EngineConfig withDriftInterval(Duration every) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, clock, deliveryThreads, deliveryTimeout, deliveryBackoff, allowedHosts, reinitialize, every, pinnedSigners);
  }

  /** How long one delivery call may take before it is abandoned and retried, unless configured. */
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(60);

  /** As before the delivery timing settings: a call may take 60 s, retries back off from 2 s to 5 min. */
  public EngineConfig(String repo, String branch, GitAuth auth, Path dataDir, String dbUrl, String dbUser, String dbPassword,
      String listenHost, int listenPort, Duration syncInterval, Duration tickInterval, boolean clustered, String kustomize,
      String prometheusUrl, Clock clock, int deliveryThreads) {
    this(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval, clustered, kustomize,
        prometheusUrl, clock, deliveryThreads, DEFAULT_DELIVERY_TIMEOUT, DeliveryWorkers.Backoff.DEFAULT, List.of(), false);
  }

  /** As before there was a delivery pool setting: the default pool of 8 delivery threads. */
  public EngineConfig(String repo, String branch, GitAuth auth, Path dataDir, String dbUrl, String dbUser, String dbPassword,
      String listenHost, int listenPort, Duration syncInterval, Duration tickInterval, boolean clustered, String kustomize,
      String prometheusUrl, Clock clock) {
    this(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval, clustered, kustomize,
        prometheusUrl, clock, 8);
  }

  public static EngineConfig defaults(String repo, Path dataDir) {
    return new EngineConfig(repo, null, GitAuth.NONE, dataDir, null, null, null, "127.0.0.1", 8080, Duration.ofSeconds(30),
        Duration.ofSeconds(1), false, null, null, Clock.systemUTC());
  }

  public EngineConfig withListen(String host, int port) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, host, port, syncInterval, tickInterval, clustered,
        kustomize, prometheusUrl, clock, deliveryThreads, deliveryTimeout, deliveryBackoff, allowedHosts, reinitialize, driftInterval, pinnedSigners);
  }

  public EngineConfig withIntervals(Duration sync, Duration tick) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, sync, tick, clustered,
        kustomize, prometheusUrl, clock, deliveryThreads, deliveryTimeout, deliveryBackoff, allowedHosts, reinitialize, driftInterval, pinnedSigners);
  }

  public EngineConfig withDeliveryThreads(int threads) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, clock, threads, deliveryTimeout, deliveryBackoff, allowedHosts, reinitialize, driftInterval, pinnedSigners);
  }

  public EngineConfig withClock(Clock newClock) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, newClock, deliveryThreads, deliveryTimeout, deliveryBackoff, allowedHosts, reinitialize, driftInterval, pinnedSigners);
  }

  /** Delivery calls abandoned (and retried) after {@code timeout}; failed attempts retried after {@code backoff}. */
  public EngineConfig withDeliveryTiming(Duration timeout, DeliveryWorkers.Backoff backoff) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, clock, deliveryThreads, timeout, backoff, allowedHosts, reinitialize, driftInterval, pinnedSigners);
  }

  /** Names besides the listen address and loopback that requests may give in their Host header ({@code serve --allowed-host}). */
  public EngineConfig withAllowedHosts(List<String> hosts) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, clock, deliveryThreads, deliveryTimeout, deliveryBackoff, hosts, reinitialize, driftInterval, pinnedSigners);
  }

  /** Start even though the data folder's database is gone, beginning again with no history ({@code serve --reinitialize}). */
  public EngineConfig withReinitialize(boolean again) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, clock, deliveryThreads, deliveryTimeout, deliveryBackoff, allowedHosts, again, driftInterval, pinnedSigners);
  }

  /**
   * Revisions must be signed by a key of {@code signers} where no earlier accepted revision's list
   * judges them, and signatures are required whatever {@code fleet.yaml} says ({@code serve
   * --allowed-signers}); empty: the fleet repo's own {@code requireSignedCommits} only.
   */
  public EngineConfig withPinnedSigners(Optional<SignedCommits> signers) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, clock, deliveryThreads, deliveryTimeout, deliveryBackoff, allowedHosts, reinitialize,
        driftInterval, signers);
  }

  public EngineConfig withDatabase(String url, String user, String password, boolean cluster) {
    return new EngineConfig(repo, branch, auth, dataDir, url, user, password, listenHost, listenPort, syncInterval, tickInterval,
        cluster, kustomize, prometheusUrl, clock, deliveryThreads, deliveryTimeout, deliveryBackoff, allowedHosts, reinitialize, driftInterval, pinnedSigners);
  }
}
