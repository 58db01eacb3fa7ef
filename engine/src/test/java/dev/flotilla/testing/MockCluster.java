package dev.flotilla.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * One simulated site's cluster: fabric8's mock API server in CRUD mode on loopback (plain HTTP),
 * answering server-side apply through {@link ServerSideApplyDispatcher}, and a client to it that
 * does not retry (retrying is the delivery worker's job).
 */
public final class MockCluster implements AutoCloseable {
  private final ServerSideApplyDispatcher dispatcher = new ServerSideApplyDispatcher();
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  public MockCluster() {
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = clientFor(server.url("/"));
  }

  /** A client as the engine makes them: no retries, short timeouts. */
  public static KubernetesClient clientFor(String masterUrl) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(masterUrl)
        .withNamespace("default")
        .withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(2_000)
        .withRequestTimeout(5_000)
        .withHttp2Disable(true)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public KubernetesClient client() {
    return client;
  }

  public ServerSideApplyDispatcher api() {
    return dispatcher;
  }

  public String url() {
    return server.url("/");
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
