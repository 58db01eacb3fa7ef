package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.fleet.Cluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigClientsTest {
  private static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      clusters:
      - name: dc-1
        cluster: {server: "https://dc-1.example.net:6443"}
      - name: dc-2
        cluster: {server: "https://dc-2.example.net:6443"}
      users:
      - name: flotilla
        user: {token: not-a-real-token}
      contexts:
      - name: dc-1
        context: {cluster: dc-1, user: flotilla}
      - name: dc-2
        context: {cluster: dc-2, user: flotilla, namespace: ops}
      current-context: dc-1
      """;

  @TempDir Path dir;

  @Test
  void contextOfTheSiteChoosesItsServerAndNoRetriesAreMade() throws Exception {
    Files.writeString(dir.resolve("fleet.yaml"), KUBECONFIG);

    Config config = clients().config("dc-2", new Cluster("fleet.yaml", "dc-2"));

    assertThat(config.getMasterUrl()).startsWith("https://dc-2.example.net:6443");
    assertThat(config.getRequestRetryBackoffLimit()).isZero();
    assertThat(config.getConnectionTimeout()).isEqualTo(3_000);
  }

  @Test
  void unknownContextIsRejectedNamingIt() throws Exception {
    Files.writeString(dir.resolve("fleet.yaml"), KUBECONFIG);

    assertThatThrownBy(() -> clients().config("dc-3", new Cluster("fleet.yaml", "dc-3")))
        .isInstanceOf(ApplyException.class)
        .hasMessageContaining("site dc-3")
        .hasMessageContaining("spec.cluster.context")
        .hasMessageContaining("dc-3");
  }

  @Test
  void kubeconfigOutsideTheFolderIsRefused() {
    assertThatThrownBy(() -> clients().config("dc-1", new Cluster("../../etc/kubeconfig", "dc-1")))
        .isInstanceOf(ApplyException.class)
        .hasMessageContaining("outside the kubeconfig folder");
  }

  @Test
  void missingKubeconfigNamesTheFile() {
    assertThatThrownBy(() -> clients().config("dc-1", new Cluster("absent.yaml", "dc-1")))
        .isInstanceOf(ApplyException.class)
        .hasMessageContaining("absent.yaml");
  }

  @Test
  void anInClusterSiteIsRefusedByAnEngineNotStartedInCluster() {
    assertThatThrownBy(() -> clients().config("hq", Cluster.IN_CLUSTER))
        .isInstanceOf(ApplyException.class)
        .hasMessageContaining("spec.cluster.inCluster")
        .hasMessageContaining("serve --in-cluster");
  }

  @Test
  void anInClusterSiteIsReachedWithThePodsServiceAccountReadingTheTokenForEachRequest() throws Exception {
    Path account = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(account.resolve("token"), "first-token\n");
    Files.writeString(account.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    Files.writeString(account.resolve("namespace"), "flotilla-system\n");
    InClusterConfig pod = InClusterConfig.fromEnvironment(java.util.Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
        "KUBERNETES_SERVICE_PORT", "443"), account);

    Config config = clients(pod).config("hq", Cluster.IN_CLUSTER);

    assertThat(config.getMasterUrl()).startsWith("https://10.96.0.1:443");
    assertThat(config.getCaCertFile()).isEqualTo(account.resolve("ca.crt").toString());
    assertThat(config.getNamespace()).isEqualTo("flotilla-system");
    assertThat(config.getRequestRetryBackoffLimit()).isZero();
    assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("first-token");
    Files.writeString(account.resolve("token"), "rotated-token\n"); // the kubelet rotates bound tokens in place
    assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("rotated-token");
    assertThat(InClusterConfig.fromEnvironment(java.util.Map.of("KUBERNETES_SERVICE_HOST", "fd00::1"), account).config("hq").getMasterUrl())
        .startsWith("https://[fd00::1]:443");
  }

  @Test
  void anInClusterSiteOutsideAPodSaysWhatIsMissing() throws Exception {
    Path account = Files.createDirectories(dir.resolve("serviceaccount"));
    assertThatThrownBy(() -> clients(InClusterConfig.fromEnvironment(java.util.Map.of(), account)).config("hq", Cluster.IN_CLUSTER))
        .isInstanceOf(ApplyException.class).hasMessageContaining("KUBERNETES_SERVICE_HOST is not set");
    assertThatThrownBy(() -> clients(InClusterConfig.fromEnvironment(java.util.Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), account))
        .config("hq", Cluster.IN_CLUSTER))
        .isInstanceOf(ApplyException.class).hasMessageContaining("no readable service account token at " + account.resolve("token"));
  }

  private KubeconfigClients clients(InClusterConfig inCluster) {
    return new KubeconfigClients(dir, HttpClientUtils.getHttpClientFactory(), Duration.ofSeconds(3), Duration.ofSeconds(10), inCluster);
  }

  private KubeconfigClients clients() {
    return new KubeconfigClients(dir, HttpClientUtils.getHttpClientFactory(), Duration.ofSeconds(3), Duration.ofSeconds(10));
  }
}
