package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Cluster;
import dev.flotilla.testing.MockCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Threads must not grow with the number of push sites: measured with many sites sharing one mock API server. */
class SiteClientsThreadsIT {
  @Test
  void threadsStayFlatAsSitesGrow() throws Exception {
    try (MockCluster cluster = new MockCluster(); SharedHttpClients shared = new SharedHttpClients(2)) {
      HttpClient.Factory http = shared.factory();
      SiteClients.Factory factory = (site, c) -> new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(cluster.url()).withRequestRetryBackoffLimit(0).build())
          .withHttpClientFactory(http).build();
      int at5 = applyToSites(factory, 5);
      long started = System.nanoTime();
      int at50 = applyToSites(factory, 50);
      System.out.printf("push sites: 5 sites -> %d threads, 50 sites -> %d threads (50 sites applied one after another in %d ms)%n",
          at5, at50, Duration.ofNanos(System.nanoTime() - started).toMillis());
      assertThat(at50).isLessThanOrEqualTo(at5 + 10);
    }
  }

  private static int applyToSites(SiteClients.Factory factory, int sites) throws ApplyException {
    int peak = 0;
    try (SiteClients clients = new SiteClients(factory, 1_000, Duration.ofMinutes(5), Clock.systemUTC())) {
      for (int i = 0; i < sites; i++) {
        try (var lease = clients.lease("site-" + i, new Cluster("k", "c"))) {
          new KubernetesApplier("site-" + i, lease.client(), "flotilla-system", d -> {}, Duration.ofMillis(10))
              .apply("app-" + i, List.<Map<String, Object>>of(TestObjects.yaml(
                  "{apiVersion: v1, kind: ConfigMap, metadata: {name: c" + i + ", namespace: default}, data: {a: b}}")),
                  ApplySettings.DEFAULTS);
        }
        peak = Math.max(peak, ManagementFactory.getThreadMXBean().getThreadCount());
      }
    }
    return peak;
  }
}
