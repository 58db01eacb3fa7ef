package dev.flotilla.app;

import dev.flotilla.git.GitAuth;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

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
    int deliveryThreads) {

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
        kustomize, prometheusUrl, clock, deliveryThreads);
  }

  public EngineConfig withIntervals(Duration sync, Duration tick) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, sync, tick, clustered,
        kustomize, prometheusUrl, clock, deliveryThreads);
  }

  public EngineConfig withDeliveryThreads(int threads) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, clock, threads);
  }

  public EngineConfig withClock(Clock newClock) {
    return new EngineConfig(repo, branch, auth, dataDir, dbUrl, dbUser, dbPassword, listenHost, listenPort, syncInterval, tickInterval,
        clustered, kustomize, prometheusUrl, newClock, deliveryThreads);
  }

  public EngineConfig withDatabase(String url, String user, String password, boolean cluster) {
    return new EngineConfig(repo, branch, auth, dataDir, url, user, password, listenHost, listenPort, syncInterval, tickInterval,
        cluster, kustomize, prometheusUrl, clock, deliveryThreads);
  }
}
