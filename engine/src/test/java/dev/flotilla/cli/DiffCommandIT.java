package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.PushFleet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla diff} against a mock API server in CRUD mode (taught server-side apply and its dry
 * run): what would be created and changed, by field, while the cluster is left as it was.
 */
class DiffCommandIT {
  private static final String WEB = "/apis/apps/v1/namespaces/web/deployments/web";

  @TempDir Path dir;
  GitFixture git;
  MockCluster cluster;
  Path kubeconfig;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void fleetAndCluster() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    PushFleet.write(git, 1, PushFleet.DEFAULT_POLICY);
    git.commit("web 1.0");
    cluster = new MockCluster();
    kubeconfig = dir.resolve("dc-1.yaml");
    Files.writeString(kubeconfig, cluster.kubeconfig("dc-1"));
  }

  @AfterEach
  void stop() {
    cluster.close();
    git.close();
  }

  @Test
  void anEmptyClusterWouldGetEveryObjectCreated() {
    Run run = diff("--site", "dc-1");

    assertThat(run.exit()).as(run.err()).isEqualTo(DiffCommand.CHANGES);
    assertThat(run.out()).contains("site dc-1, app web: 2 to create, 0 to change, 0 to delete, 0 unchanged")
        .contains("  + Namespace//web").contains("  + Deployment/web/web");
    assertThat(cluster.client().apps().deployments().inNamespace("web").withName("web").get()).as("a dry run creates nothing").isNull();
    assertThat(cluster.api().requests()).filteredOn(r -> r.startsWith("PATCH")).isNotEmpty()
        .allSatisfy(r -> assertThat(r).contains("dryRun=All"));
  }

  @Test
  void aChangedObjectIsShownWithItsFieldsAndLeftAsItIs() {
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("web").endMetadata().build()).create();
    cluster.client().apps().deployments().inNamespace("web").resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").withNamespace("web").endMetadata().withNewSpec().withReplicas(1).endSpec().build()).create();

    Run run = diff("--site", "dc-1", "--app", "web", "--context", "dc-1");

    assertThat(run.exit()).as(run.err()).isEqualTo(DiffCommand.CHANGES);
    assertThat(run.out()).contains("0 to create, 2 to change").contains("  ~ Namespace//web").contains("  ~ Deployment/web/web").contains("spec.replicas: want 2, live 1");
    assertThat(cluster.client().apps().deployments().inNamespace("web").withName("web").get().getSpec().getReplicas()).isEqualTo(1);
    assertThat(cluster.api().managerOf(WEB, "spec.replicas")).as("no field taken by a dry run").isNull();
  }

  @Test
  void aClusterThatRefusesAnObjectFailsTheDiffWithItsMessage() {
    cluster.api().refuseApplies(p -> p.equals(WEB), "Deployment.apps \"web\" is invalid: spec.selector: Required value", "spec.selector");

    Run run = diff("--site", "dc-1");

    assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).contains("Deployment/web/web").contains("spec.selector").contains("Required value");
  }

  @Test
  void anUnknownSiteIsInvalidInput() {
    Run run = diff("--site", "dc-9");

    assertThat(run.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err()).contains("no site named 'dc-9'");
  }

  @Test
  void aDryRunOfTheReleaseComparesEveryPushSiteThroughItsOwnKubeconfigAndNamesTheOneItCannotReach() throws Exception {
    try (GitFixture three = GitFixture.init(dir.resolve("fleet-3")); MockCluster dc2 = new MockCluster(); MockCluster dc3 = new MockCluster()) {
      PushFleet.write(three, 3, PushFleet.DEFAULT_POLICY);
      three.commit("web 1.0 at three data centers");
      Path kubeconfigs = dir.resolve("kubeconfigs");
      PushFleet.kubeconfigs(kubeconfigs, List.of(cluster, dc2, dc3));
      dc2.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("web").endMetadata().build()).create();
      dc3.close(); // dc-3's API server is gone

      Run run = cli("diff", "--repo", three.workTree().toString(), "--app", "web", "--kubeconfig-dir", kubeconfigs.toString(),
          "--data-dir", dir.resolve("data").toString());

      assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.out()).contains("site dc-1, app web: 2 to create").contains("site dc-2, app web: 1 to create")
          .contains("release of web: 2 site(s) would change, 0 unchanged, 1 could not be compared");
      assertThat(run.err()).contains("dc-3");
      assertThat(cluster.client().apps().deployments().inNamespace("web").withName("web").get()).as("a dry run creates nothing").isNull();
    }
  }

  @Test
  void aDryRunOfAReleaseNeedsTheAppAndTheKubeconfigFolder() {
    Run run = cli("diff", "--repo", git.workTree().toString(), "--kubeconfig-dir", dir.toString(), "--data-dir", dir.resolve("data").toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(run.err()).contains("without --site, give --app APP and --kubeconfig-dir DIR");
  }

  Run diff(String... args) {
    List<String> all = new ArrayList<>(List.of("diff", "--repo", git.workTree().toString(), "--kubeconfig", kubeconfig.toString(),
        "--data-dir", dir.resolve("data").toString()));
    all.addAll(List.of(args));
    return cli(all.toArray(String[]::new));
  }

  Run cli(String... all) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(all);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
