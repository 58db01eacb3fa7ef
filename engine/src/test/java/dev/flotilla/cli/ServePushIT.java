package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.PushFleet;
import dev.flotilla.testing.ServeProcess;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla serve} without {@code --simulate} applies to real clusters: a child process
 * serving a fleet of two push sites, each on its own mock API server reached through a kubeconfig in
 * {@code --kubeconfig-dir}.
 */
class ServePushIT {
  @TempDir Path dir;

  @Test
  void serveAppliesTheReleaseToEveryPushSitesClusterByDefault() throws Exception {
    String oneWave = """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata: {name: default}
        spec:
          waves:
            - name: all
              selector: {}
        """;
    try (GitFixture git = GitFixture.init(dir.resolve("fleet")); MockCluster dc1 = new MockCluster(); MockCluster dc2 = new MockCluster()) {
      PushFleet.write(git, 2, oneWave);
      git.commit("web 1.0");
      PushFleet.kubeconfigs(dir.resolve("kubeconfigs"), List.of(dc1, dc2));
      try (ServeProcess serve = ServeProcess.delivering(git.workTree(), dir.resolve("data"), ServeProcess.freePort(), dir.resolve("logs"),
          List.of("--kubeconfig-dir", dir.resolve("kubeconfigs").toString(), "--tick-interval", "200", "--health-interval", "500"))) {
        serve.start().awaitUp(Duration.ofSeconds(60));

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (deployment(dc1) == null || deployment(dc2) == null)) ServeProcess.sleep(Duration.ofMillis(200));

        assertThat(deployment(dc1)).as("dc-1's cluster\n%s", serve.logTail(30)).isNotNull();
        assertThat(deployment(dc2)).as("dc-2's cluster\n%s", serve.logTail(30)).isNotNull();
        assertThat(deployment(dc1).getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith("web:1.0");
        assertThat(dc1.api().managerOf("/apis/apps/v1/namespaces/web/deployments/web", "spec.replicas")).isEqualTo("flotilla");
        JsonNode rollouts = serve.get("/rollouts");
        assertThat(rollouts.toString()).contains("web-");
      }
    }
  }

  private static Deployment deployment(MockCluster cluster) {
    return cluster.client().apps().deployments().inNamespace("web").withName("web").get();
  }
}
