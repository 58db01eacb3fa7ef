package dev.flotilla.delivery.push;

import dev.flotilla.fleet.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kubernetes client per push site, made when first needed and closed when idle, at most {@code
 * maxClients} open at once (the least recently used idle one is closed to make room): a fleet of a
 * thousand push sites must not hold a thousand connection pools. A client is used through a {@link
 * Lease}; a leased client is never closed under its user, so the bound may be passed while more
 * sites than that are being applied at the same moment (the delivery workers' own bound keeps
 * that small). Thread-safe.
 */
public final class SiteClients implements AutoCloseable {
  /** Makes the client of one site; {@link KubeconfigClients} reads the site's kubeconfig. */
  @FunctionalInterface
  public interface Factory {
    KubernetesClient create(String site, Cluster cluster) throws ApplyException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(SiteClients.class);

  private final Factory factory;
  private final int maxClients;
  private final Duration idleAfter;
  private final Clock clock;
  private final Map<String, Entry> open = new HashMap<>();
  private boolean closed;

  private static final class Entry {
    final Cluster cluster;
    final KubernetesClient client;
    int leases;
    Instant lastUsed;

    Entry(Cluster cluster, KubernetesClient client, Instant now) {
      this.cluster = cluster;
      this.client = client;
      this.lastUsed = now;
    }
  }

  public SiteClients(Factory factory, int maxClients, Duration idleAfter, Clock clock) {
    if (maxClients < 1) throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
    this.factory = Objects.requireNonNull(factory, "factory");
    this.maxClients = maxClients;
    this.idleAfter = Objects.requireNonNull(idleAfter, "idleAfter");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The site's client, kept open until the lease is closed. A changed cluster setting gets a new
   * client. A new client is made outside the lock (reading a kubeconfig and building a client takes
   * milliseconds), so sites being opened do not wait for one another.
   */
  public Lease lease(String site, Cluster cluster) throws ApplyException {
    Lease existing = leaseOpen(site, cluster);
    if (existing != null) return existing;
    KubernetesClient made = factory.create(site, cluster);
    List<KubernetesClient> toClose = new ArrayList<>();
    Entry entry;
    synchronized (this) {
      if (closed) {
        toClose.add(made);
        entry = null;
      } else {
        entry = open.get(site);
        if (entry != null && entry.cluster.equals(cluster)) {
          toClose.add(made); // another thread opened the site meanwhile: use its client
        } else {
          if (entry != null && entry.leases == 0) toClose.add(entry.client);
          entry = new Entry(cluster, made, clock.instant());
          open.put(site, entry);
          LOG.info("site {}: client opened ({} open)", site, open.size());
          toClose.addAll(evictOverBound(site));
        }
        entry.leases++;
        entry.lastUsed = clock.instant();
      }
    }
    toClose.forEach(KubernetesClient::close);
    if (entry == null) throw new IllegalStateException("site clients are closed");
    return new Lease(site, entry);
  }

  /** A lease on the site's open client for {@code cluster}, or null when one must be made (an outdated idle one is closed). */
  private Lease leaseOpen(String site, Cluster cluster) {
    KubernetesClient outdated = null;
    try {
      synchronized (this) {
        if (closed) throw new IllegalStateException("site clients are closed");
        Entry entry = open.get(site);
        if (entry == null) return null;
        if (!entry.cluster.equals(cluster)) {
          if (entry.leases == 0) {
            open.remove(site);
            outdated = entry.client;
          }
          return null;
        }
        entry.leases++;
        entry.lastUsed = clock.instant();
        return new Lease(site, entry);
      }
    } finally {
      if (outdated != null) outdated.close();
    }
  }

  /** Closes the clients nobody used for {@code idleAfter}; returns how many. Call it from a periodic job. */
  public int closeIdle() {
    List<KubernetesClient> toClose = new ArrayList<>();
    synchronized (this) {
      Instant cutoff = clock.instant().minus(idleAfter);
      open.entrySet().removeIf(e -> {
        boolean idle = e.getValue().leases == 0 && !e.getValue().lastUsed.isAfter(cutoff);
        if (idle) {
          toClose.add(e.getValue().client);
          LOG.info("site {}: idle client closed", e.getKey());
        }
        return idle;
      });
    }
    toClose.forEach(KubernetesClient::close);
    return toClose.size();
  }

  /** How many clients are open now. */
  public synchronized int size() {
    return open.size();
  }

  private List<KubernetesClient> evictOverBound(String keep) {
    List<KubernetesClient> evicted = new ArrayList<>();
    if (open.size() <= maxClients) return evicted;
    List<Map.Entry<String, Entry>> idle = open.entrySet().stream()
        .filter(e -> e.getValue().leases == 0 && !e.getKey().equals(keep))
        .sorted(Comparator.comparing((Map.Entry<String, Entry> e) -> e.getValue().lastUsed))
        .toList();
    for (var e : idle) {
      if (open.size() <= maxClients) break;
      open.remove(e.getKey());
      evicted.add(e.getValue().client);
      LOG.info("site {}: least recently used client closed to stay within {} clients", e.getKey(), maxClients);
    }
    return evicted;
  }

  private synchronized void release(String site, Entry entry) {
    entry.leases--;
    entry.lastUsed = clock.instant();
    // Closed, or replaced by a client for a changed cluster setting while in use: nobody will lease it again.
    if (entry.leases == 0 && (closed || open.get(site) != entry)) entry.client.close();
  }

  /** Closes every client not in use now; leased ones close when their lease does. */
  @Override
  public void close() {
    List<KubernetesClient> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      open.values().stream().filter(e -> e.leases == 0).forEach(e -> toClose.add(e.client));
      open.clear();
    }
    toClose.forEach(KubernetesClient::close);
  }

  /** The use of one site's client; close it when done (try-with-resources). */
  public final class Lease implements AutoCloseable {
    private final String site;
    private final Entry entry;
    private boolean released;

    private Lease(String site, Entry entry) {
      this.site = site;
      this.entry = entry;
    }

    public String site() {
      return site;
    }

    public KubernetesClient client() {
      return entry.client;
    }

    @Override
    public void close() {
      if (released) return;
      released = true;
      release(site, entry);
    }
  }
}
