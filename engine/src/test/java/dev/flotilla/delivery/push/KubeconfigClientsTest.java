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

  private KubeconfigClients clients() {
    return new KubeconfigClients(dir, HttpClientUtils.getHttpClientFactory(), Duration.ofSeconds(3), Duration.ofSeconds(10));
  }
}
