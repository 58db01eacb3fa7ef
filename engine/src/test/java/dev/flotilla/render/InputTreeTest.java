package dev.flotilla.render;

import static dev.flotilla.render.FleetRepoFixture.BASE;
import static dev.flotilla.render.FleetRepoFixture.EDGE;
import static dev.flotilla.render.FleetRepoFixture.POP;
import static dev.flotilla.render.FleetRepoFixture.STORE_3;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

class InputTreeTest {
  @TempDir Path root;
  private FleetRepoFixture repo;

  @BeforeEach
  void makeRepo() {
    repo = new FleetRepoFixture(root);
  }

  @Test
  void inputsAreTheOverlayFilesAndEverythingItsKustomizationReferencesRecursively() throws Exception {
    assertThat(InputTree.of(root, repo.dir(STORE_3)).keySet()).containsExactly(
        BASE + "/deployment.yaml", BASE + "/kustomization.yaml", BASE + "/service.yaml",
        POP + "/kustomization.yaml", POP + "/replicas.yaml",
        STORE_3 + "/kustomization.yaml");
  }

  @Test
  void referencedFilesOutsideTheOverlayAreInputsByThemselves() throws Exception {
    repo.write("apps/pos/shared/edge.properties", "offline=true\n");
    repo.write("apps/pos/shared/unrelated.txt", "not referenced");
    repo.write("apps/pos/overlays/shared-files/kustomization.yaml",
        "configMapGenerator:\n- name: c\n  files:\n  - ../../shared/edge.properties\n");

    assertThat(InputTree.of(root, repo.dir("apps/pos/overlays/shared-files")).keySet())
        .contains("apps/pos/shared/edge.properties")
        .doesNotContain("apps/pos/shared/unrelated.txt");
  }

  @Test
  void hashChangesWhenAReferencedBaseFileChanges() throws Exception {
    String before = hash(STORE_3);

    repo.write(BASE + "/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: pos-renamed\n");

    assertThat(hash(STORE_3)).isNotEqualTo(before);
  }

  @Test
  void hashIsUnchangedWhenAnUnrelatedSiblingOverlayChanges() throws Exception {
    String before = hash(POP);

    repo.write(EDGE + "/kustomization.yaml", "resources:\n- ../../base\nnamePrefix: changed-\n");

    assertThat(hash(POP)).isEqualTo(before);
  }

  @Test
  void hashChangesWithTheRendererFingerprint() throws Exception {
    assertThat(InputTree.hash(root, repo.dir(POP), "kustomize v5.4.3"))
        .isNotEqualTo(InputTree.hash(root, repo.dir(POP), "kustomize v5.5.0"));
  }

  @Test
  void hashIsStableAcrossCalls() throws Exception {
    assertThat(hash(EDGE)).isEqualTo(hash(EDGE)).hasSize(64);
  }

  @Test
  void referenceCyclesAreFollowedOnce() throws Exception {
    repo.write("apps/loop/a/kustomization.yaml", "resources:\n- ../b\n");
    repo.write("apps/loop/b/kustomization.yaml", "resources:\n- ../a\n");

    assertThat(InputTree.of(root, repo.dir("apps/loop/a")).keySet())
        .containsExactly("apps/loop/a/kustomization.yaml", "apps/loop/b/kustomization.yaml");
  }

  @Test
  void pathsOutsideTheRepoRootAndRemoteUrlsAreNotInputs() throws Exception {
    repo.write("apps/remote/kustomization.yaml",
        "resources:\n- ../../..\n- https://github.com/example/repo//base?ref=v1\n");

    assertThat(InputTree.of(root, repo.dir("apps/remote")).keySet())
        .containsExactly("apps/remote/kustomization.yaml");
  }

  @Test
  void aKustomizationThatIsNotYamlIsStillAnInput() throws Exception {
    repo.write("apps/broken/kustomization.yaml", "resources: [unclosed\n");

    assertThat(InputTree.of(root, repo.dir("apps/broken")).keySet())
        .containsExactly("apps/broken/kustomization.yaml");
  }

  private String hash(String overlay) throws Exception {
    return InputTree.hash(root, repo.dir(overlay), "kustomize v5.5.0");
  }
}
