package dev.flotilla.delivery.push;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The push adapter as the engine runs it: one shared HTTP client factory (a fixed number of event
 * loop threads), one client per site made from the kubeconfig folder and closed when idle (checked
 * every minute), a small pool of health-poll threads, and the {@link PushDelivery} on top. Threads
 * and connections are bounded for the whole engine, whatever the number of sites. Closing closes
 * every client, then the threads.
 */
public final class PushAdapter implements AutoCloseable {
  /** The adapter's settings; {@link #defaults} fits a laptop and a fleet of hundreds of push sites. */
  public record Settings(Path kubeconfigDir, int eventLoopThreads, int maxClients, Duration idleAfter, int pollThreads,
      Duration healthTtl, Duration connectTimeout, Duration requestTimeout, Path deliveredSites, InClusterConfig inCluster) {
    public static Settings defaults(Path kubeconfigDir) {
      // 64 clients: each holds its own keep-alive connections, so this bounds the engine's connections;
      // with 8 delivery and 2 poll threads at most 10 are in use at once.
      return new Settings(kubeconfigDir, 2, 64, Duration.ofMinutes(5), 2, Duration.ofSeconds(10), Duration.ofSeconds(5),
          Duration.ofSeconds(30), null, null);
    }

    /** Sites with {@code spec.cluster.inCluster: true} are reached through {@code config} (null: refused). */
    public Settings withInCluster(InClusterConfig config) {
      return new Settings(kubeconfigDir, eventLoopThreads, maxClients, idleAfter, pollThreads, healthTtl, connectTimeout, requestTimeout,
          deliveredSites, config);
    }

    public Settings withHealthTtl(Duration ttl) {
      return new Settings(kubeconfigDir, eventLoopThreads, maxClients, idleAfter, pollThreads, ttl, connectTimeout, requestTimeout,
          deliveredSites, inCluster);
    }

    public Settings withMaxClients(int max) {
      return new Settings(kubeconfigDir, eventLoopThreads, max, idleAfter, pollThreads, healthTtl, connectTimeout, requestTimeout,
          deliveredSites, inCluster);
    }

    /** The file where the sites delivered to are remembered across restarts (null: not remembered). */
    public Settings withDeliveredSites(Path file) {
      return new Settings(kubeconfigDir, eventLoopThreads, maxClients, idleAfter, pollThreads, healthTtl, connectTimeout, requestTimeout,
          file, inCluster);
    }
  }

  private final SharedHttpClients http;
  private final SiteClients clients;
  private final ExecutorService polls;
  private final ScheduledExecutorService idle;
  private final PushDelivery delivery;

  private PushAdapter(Settings settings, Clock clock) {
    this.http = new SharedHttpClients(settings.eventLoopThreads());
    this.clients = new SiteClients(new KubeconfigClients(settings.kubeconfigDir(), http.factory(), settings.connectTimeout(),
        settings.requestTimeout(), settings.inCluster()), settings.maxClients(), settings.idleAfter(), clock);
    AtomicInteger n = new AtomicInteger();
    // A queue as long as needed: at most one poll per site and app waits in it (PushDelivery keeps to that).
    this.polls = new ThreadPoolExecutor(settings.pollThreads(), settings.pollThreads(), 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
        r -> daemon(r, "flotilla-push-health-" + n.incrementAndGet()));
    this.idle = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "flotilla-push-idle-clients"));
    this.idle.scheduleWithFixedDelay(clients::closeIdle, 1, 1, TimeUnit.MINUTES);
    this.delivery = new PushDelivery(clients, clock, settings.healthTtl(), polls, Pause.SLEEP, Duration.ofSeconds(1),
        settings.deliveredSites());
  }

  public static PushAdapter start(Settings settings, Clock clock) {
    return new PushAdapter(settings, clock);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public PushDelivery delivery() {
    return delivery;
  }

  /** How many site clients are open now. */
  public int openClients() {
    return clients.size();
  }

  @Override
  public void close() {
    idle.shutdownNow();
    polls.shutdownNow();
    clients.close();
    http.close();
  }
}
