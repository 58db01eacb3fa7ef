package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.fleet.Cluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Clients are built here but never connect: the cache's bookkeeping is what is tested. */
class SiteClientsTest {
  private static final Cluster DC1 = new Cluster("dc-1.yaml", "dc-1");
  private static final HttpClient.Factory HTTP = HttpClientUtils.getHttpClientFactory();

  private final SteppedClock clock = new SteppedClock(Instant.parse("2026-11-30T04:00:00Z"));
  private final List<KubernetesClient> created = new ArrayList<>();
  private final SiteClients.Factory factory = (site, cluster) -> {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:9/" + site).build();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(HTTP).build();
    created.add(client);
    return client;
  };

  @AfterEach
  void closeAll() {
    created.forEach(KubernetesClient::close);
  }

  @Test
  void aSiteKeepsItsClientBetweenLeases() throws ApplyException {
    try (SiteClients clients = new SiteClients(factory, 10, Duration.ofMinutes(5), clock)) {
      KubernetesClient first;
      try (var lease = clients.lease("dc-1", DC1)) {
        first = lease.client();
      }
      try (var lease = clients.lease("dc-1", DC1)) {
        assertThat(lease.client()).isSameAs(first);
      }
      assertThat(created).hasSize(1);
    }
  }

  @Test
  void leastRecentlyUsedIdleClientIsClosedToStayWithinTheBound() throws ApplyException {
    try (SiteClients clients = new SiteClients(factory, 2, Duration.ofMinutes(5), clock)) {
      clients.lease("a", DC1).close();
      clock.advance(Duration.ofSeconds(1));
      clients.lease("b", DC1).close();
      clock.advance(Duration.ofSeconds(1));
      clients.lease("a", DC1).close();
      clock.advance(Duration.ofSeconds(1));

      clients.lease("c", DC1).close();

      assertThat(clients.size()).isEqualTo(2);
      assertThat(closed()).containsExactly(false, true, false);
    }
  }

  @Test
  void leasedClientIsNeverClosedUnderItsUser() throws ApplyException {
    try (SiteClients clients = new SiteClients(factory, 1, Duration.ofMinutes(5), clock);
        var a = clients.lease("a", DC1)) {
      try (var b = clients.lease("b", DC1)) {
        assertThat(clients.size()).isEqualTo(2);
        assertThat(a.client().getHttpClient().isClosed()).isFalse();
      }
      clock.advance(Duration.ofHours(1));
      assertThat(clients.closeIdle()).isEqualTo(1);
      assertThat(closed()).containsExactly(false, true);
    }
  }

  @Test
  void clientsIdleLongerThanTheLimitAreClosed() throws ApplyException {
    try (SiteClients clients = new SiteClients(factory, 10, Duration.ofMinutes(5), clock)) {
      clients.lease("a", DC1).close();
      clock.advance(Duration.ofMinutes(3));
      clients.lease("b", DC1).close();
      clock.advance(Duration.ofMinutes(2));

      assertThat(clients.closeIdle()).isEqualTo(1);

      assertThat(closed()).containsExactly(true, false);
      assertThat(clients.size()).isEqualTo(1);
    }
  }

  @Test
  void changedClusterSettingGetsANewClient() throws ApplyException {
    try (SiteClients clients = new SiteClients(factory, 10, Duration.ofMinutes(5), clock)) {
      clients.lease("a", DC1).close();

      clients.lease("a", new Cluster("dc-1.yaml", "dc-1-admin")).close();

      assertThat(created).hasSize(2);
      assertThat(closed()).containsExactly(true, false);
    }
  }

  @Test
  void closingClosesEveryIdleClient() throws ApplyException {
    SiteClients clients = new SiteClients(factory, 10, Duration.ofMinutes(5), clock);
    clients.lease("a", DC1).close();
    var held = clients.lease("b", DC1);

    clients.close();
    assertThat(closed()).containsExactly(true, false);
    held.close();
    assertThat(closed()).containsExactly(true, true);
  }

  private List<Boolean> closed() {
    return created.stream().map(c -> c.getHttpClient().isClosed()).toList();
  }
}
