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
  private boolean stopped;

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

  /** A kubeconfig whose one context ({@code context}) reaches this server, as a site's {@code spec.cluster} names it. */
  public String kubeconfig(String context) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster: {server: "%2$s"}
        users:
        - name: flotilla
          user: {token: test-token}
        contexts:
        - name: %1$s
          context: {cluster: %1$s, user: flotilla}
        current-context: %1$s
        """.formatted(context, url().replaceAll("/$", ""));
  }

  /**
   * What the workload controllers of a real cluster would do: every Deployment gets a status that
   * says it rolled out (its generation observed, all replicas updated and available). Returns how
   * many it set.
   */
  public int rollOutDeployments() {
    int n = 0;
    for (var d : client.apps().deployments().inAnyNamespace().list().getItems()) {
      int replicas = d.getSpec() != null && d.getSpec().getReplicas() != null ? d.getSpec().getReplicas() : 1;
      long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
      dispatcher.setStatus("/apis/apps/v1/namespaces/" + d.getMetadata().getNamespace() + "/deployments/" + d.getMetadata().getName(),
          "{observedGeneration: %d, replicas: %d, updatedReplicas: %d, readyReplicas: %d, availableReplicas: %d}"
              .formatted(generation, replicas, replicas, replicas, replicas));
      n++;
    }
    return n;
  }

  /** Stops answering, as a site whose link went down; {@link #url()} then refuses connections. */
  public synchronized void stop() {
    if (stopped) return;
    stopped = true;
    server.destroy();
  }

  @Override
  public void close() {
    client.close();
    stop();
  }
}
