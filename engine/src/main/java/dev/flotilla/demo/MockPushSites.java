package dev.flotilla.demo;

import dev.flotilla.delivery.AppliedRelease;
import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.delivery.push.Pause;
import dev.flotilla.delivery.push.PushDelivery;
import dev.flotilla.delivery.push.SharedHttpClients;
import dev.flotilla.delivery.push.SiteClients;
import dev.flotilla.fleet.Cluster;
import dev.flotilla.fleet.Site;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The demo's push sites on in-process fabric8 mock API servers ({@code flotilla demo --push-mock}):
 * one CRUD mock server per push site on loopback, taught server-side apply and playing the
 * workload controllers ({@link ApplyingCrudDispatcher}), and the engine's real push adapter ({@link
 * PushDelivery}: server-side apply in order, the inventory, health read from the applied objects)
 * reaching each site's server through its own client, as a kubeconfig would. Health is read on the
 * thread that asks for it, so a demo round sees the readings of that round.
 */
final class MockPushSites implements AutoCloseable {
  /** One site's server at the end of the run: its URL, the applies it took, and the revisions its objects carry per app. */
  record SiteServer(String site, String server, long applies, Map<String, List<String>> revisions) {}

  private final Map<String, Server> servers;
  private final Clock clock;
  private final SharedHttpClients http = new SharedHttpClients(1);
  /** One for every client: made per client, it registers every model class again (seconds of CPU each). */
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final SiteClients clients;
  private final PushDelivery push;
  private final List<AppliedRelease> history = new ArrayList<>();

  private record Server(KubernetesMockServer server, ApplyingCrudDispatcher api) {
    String url() {
      return server.url("/").replaceAll("/$", "");
    }
  }

  /**
   * fabric8's mock web server logs every request at INFO through java.util.logging: thousands of
   * lines on the demo's console, and a good share of its CPU. Held here so the setting is not
   * garbage-collected with the logger.
   */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private MockPushSites(List<Site> sites, Clock clock, Duration readyAfter) {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    this.clock = clock;
    Map<String, Server> made = new LinkedHashMap<>();
    for (Site s : sites) {
      ApplyingCrudDispatcher api = new ApplyingCrudDispatcher(clock, readyAfter);
      KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
          new HashMap<>(), api, false);
      server.init();
      made.put(s.name(), new Server(server, api));
    }
    this.servers = made;
    this.clients = new SiteClients(this::client, Math.max(1, sites.size()), Duration.ofDays(365), clock);
    // Polls on the asking thread (Runnable::run), so a round sees the readings of that round; a reading
    // older than one round of demo time is taken again. The polls are most of what --push-mock costs:
    // one GET of the inventory and one per object, per push site and live app, every round.
    this.push = new PushDelivery(clients, clock, DemoSettings.STEP, Runnable::run, Pause.SLEEP, Duration.ofMillis(100));
  }

  /** Starts a mock API server for each of {@code sites} (push sites); their workloads become ready {@code readyAfter} after an apply. */
  static MockPushSites start(List<Site> sites, Clock clock, Duration readyAfter) {
    return new MockPushSites(sites, clock, readyAfter);
  }

  /** The push adapter to these servers, recording each release it applied (or that a server refused) in {@link #history}. */
  Delivery delivery() {
    return new Delivery() {
      @Override
      public void deliver(SiteRelease release) throws DeliveryException {
        try {
          push.deliver(release);
        } catch (DeliveryException e) {
          if (!e.retryable()) record(release, Health.FAILED);
          throw e;
        }
        record(release, push.status(release.site().name(), release.app()).map(SiteReport::health).orElse(Health.PROGRESSING));
      }

      @Override
      public Optional<SiteReport> status(String site, String app) {
        return push.status(site, app);
      }

      @Override
      public List<SiteReport> statuses(String app) {
        return push.statuses(app);
      }
    };
  }

  private void record(SiteRelease release, Health health) {
    synchronized (history) {
      history.add(new AppliedRelease(release.site().name(), release.app(), release.revision(), release.rolloutId(), clock.instant(),
          health));
    }
  }

  /** Every release applied to a push site, in the order they were. */
  List<AppliedRelease> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  /** The clusters' controllers act on what is due at the clock's instant; returns how many objects changed. */
  int tick() {
    int changed = 0;
    for (Server s : servers.values()) changed += s.api().settle();
    return changed;
  }

  /** From now on every push site refuses applies containing {@code text}. */
  void refuseAppliesContaining(String text) {
    servers.values().forEach(s -> s.api().refuseAppliesContaining(text));
  }

  /** The sites and their servers' URLs, for people to read. */
  Map<String, String> urls() {
    Map<String, String> urls = new LinkedHashMap<>();
    servers.forEach((site, s) -> urls.put(site, s.url()));
    return urls;
  }

  /** What each server holds now: the revisions ({@code flotilla.dev/revision}) of each app's objects, and its applies. */
  List<SiteServer> clusters() {
    List<SiteServer> out = new ArrayList<>();
    servers.forEach((site, s) -> {
      Map<String, TreeSet<String>> revisions = new TreeMap<>();
      try (KubernetesClient c = client(s.url())) {
        for (String kinds : List.of("configmaps", "services", "persistentvolumeclaims", "serviceaccounts")) {
          c.genericKubernetesResources("v1", kindOf(kinds)).inAnyNamespace().list().getItems().forEach(o -> note(o, revisions));
        }
        for (String kind : List.of("StatefulSet", "DaemonSet", "Deployment")) {
          c.genericKubernetesResources("apps/v1", kind).inAnyNamespace().list().getItems().forEach(o -> note(o, revisions));
        }
        c.genericKubernetesResources("batch/v1", "CronJob").inAnyNamespace().list().getItems().forEach(o -> note(o, revisions));
      }
      Map<String, List<String>> byApp = new TreeMap<>();
      revisions.forEach((app, revs) -> byApp.put(app, List.copyOf(revs)));
      out.add(new SiteServer(site, s.url(), s.api().applies(), byApp));
    });
    return out;
  }

  private static String kindOf(String plural) {
    return switch (plural) {
      case "configmaps" -> "ConfigMap";
      case "services" -> "Service";
      case "persistentvolumeclaims" -> "PersistentVolumeClaim";
      default -> "ServiceAccount";
    };
  }

  private static void note(GenericKubernetesResource o, Map<String, TreeSet<String>> revisions) {
    Map<String, String> labels = o.getMetadata().getLabels();
    Map<String, String> annotations = o.getMetadata().getAnnotations();
    String app = labels == null ? null : labels.get("flotilla.dev/app");
    String revision = annotations == null ? null : annotations.get("flotilla.dev/revision");
    if (app != null && revision != null) revisions.computeIfAbsent(app, a -> new TreeSet<>()).add(revision);
  }

  /** The site's client; the demo made a server for every push site of its fleet, so a site without one is a bug. */
  private KubernetesClient client(String site, Cluster ignored) {
    Server s = servers.get(site);
    if (s == null) throw new IllegalStateException("the demo has no mock API server for push site " + site);
    return client(s.url());
  }

  private KubernetesClient client(String url) {
    return new KubernetesClientBuilder().withConfig(config(url)).withHttpClientFactory(http.factory())
        .withKubernetesSerialization(serialization).build();
  }

  /** As a kubeconfig would give it, with the engine's settings: no retries (the delivery workers retry), short timeouts. */
  private static Config config(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace("default")
        .withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(2_000)
        .withRequestTimeout(10_000)
        .withHttp2Disable(true)
        .build();
  }

  @Override
  public void close() {
    clients.close();
    http.close();
    servers.values().forEach(s -> s.server().destroy());
  }
}
