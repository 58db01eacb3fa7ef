package dev.flotilla.delivery.push;

import dev.flotilla.fleet.Cluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Makes a site's client from its {@code spec.cluster}: a kubeconfig file under the engine's
 * kubeconfig folder (never from Git: credentials stay on the engine's machine) and a context in it.
 * Every client shares one HTTP client factory, does not retry (the delivery worker retries with
 * backoff and a deadline) and has bounded connect and request timeouts.
 */
public final class KubeconfigClients implements SiteClients.Factory {
  private final Path kubeconfigDir;
  private final HttpClient.Factory httpClients;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  /**
   * One serialization for every site's client: made per client, it registers every model class of
   * the client again (measured: the main cost of opening a site, seconds of CPU for a fleet of 50).
   */
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final InClusterConfig inCluster;

  public KubeconfigClients(Path kubeconfigDir, HttpClient.Factory httpClients, Duration connectTimeout, Duration requestTimeout) {
    this(kubeconfigDir, httpClients, connectTimeout, requestTimeout, null);
  }

  /**
   * As above; {@code inCluster} (null: refused) reaches the sites whose {@code spec.cluster} says
   * {@code inCluster: true}: an engine takes them only when its operator says it runs in that cluster.
   */
  public KubeconfigClients(Path kubeconfigDir, HttpClient.Factory httpClients, Duration connectTimeout, Duration requestTimeout,
      InClusterConfig inCluster) {
    this.kubeconfigDir = kubeconfigDir.toAbsolutePath().normalize();
    this.httpClients = httpClients;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.inCluster = inCluster;
  }

  @Override
  public KubernetesClient create(String site, Cluster cluster) throws ApplyException {
    Config config = config(site, cluster);
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(httpClients).withKubernetesSerialization(serialization)
        .build();
  }

  Config config(String site, Cluster cluster) throws ApplyException {
    if (cluster != null && cluster.inCluster()) {
      if (inCluster == null) {
        throw invalid(site, "spec.cluster.inCluster", "this engine does not reach its own cluster: start it with serve --in-cluster "
            + "(in a pod whose service account may apply the site's objects)");
      }
      return withTimeouts(inCluster.config(site));
    }
    if (cluster == null || cluster.kubeconfig() == null || cluster.kubeconfig().isBlank()) {
      throw invalid(site, "spec.cluster.kubeconfig", "a push site needs spec.cluster.kubeconfig");
    }
    Path file = kubeconfigDir.resolve(cluster.kubeconfig()).normalize();
    if (!file.startsWith(kubeconfigDir)) {
      throw invalid(site, "spec.cluster.kubeconfig", cluster.kubeconfig() + " is outside the kubeconfig folder " + kubeconfigDir);
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ApplyException(site, "", "spec.cluster.kubeconfig", "kubeconfig " + file + " cannot be read: " + e.getMessage(),
          ApplyException.Cause.REJECTED, e);
    }
    Config loaded;
    try {
      loaded = Config.fromKubeconfig(cluster.context(), text, file.toString());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      throw invalid(site, "spec.cluster.context", "kubeconfig " + file + " has no usable context " + cluster.context() + ": " + e.getMessage());
    }
    if (cluster.context() != null && !cluster.context().isBlank()
        && (loaded.getCurrentContext() == null || !cluster.context().equals(loaded.getCurrentContext().getName()))) {
      throw invalid(site, "spec.cluster.context", "kubeconfig " + file + " has no context " + cluster.context());
    }
    return withTimeouts(loaded);
  }

  private Config withTimeouts(Config loaded) {
    return new ConfigBuilder(loaded)
        .withRequestRetryBackoffLimit(0)
        .withConnectionTimeout((int) connectTimeout.toMillis())
        .withRequestTimeout((int) requestTimeout.toMillis())
        .build();
  }

  private static ApplyException invalid(String site, String field, String reason) {
    return new ApplyException(site, "", field, reason, ApplyException.Cause.REJECTED, null);
  }
}
