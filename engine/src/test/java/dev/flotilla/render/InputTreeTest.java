package dev.flotilla.render;

import static dev.flotilla.render.FleetRepoFixture.BASE;
import static dev.flotilla.render.FleetRepoFixture.EDGE;
import static dev.flotilla.render.FleetRepoFixture.POP;
import static dev.flotilla.render.FleetRepoFixture.STORE_3;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.flotilla.fleet.OverlayInputs;
import dev.flotilla.fleet.ReadLimits;
import dev.flotilla.fleet.RepoJail;
import java.nio.file.Path;
import java.util.Set;

class InputTreeTest {
  @TempDir Path root;
  private FleetRepoFixture repo;

  @BeforeEach
  void makeRepo() {
    repo = new FleetRepoFixture(root);
  }

  @Test
  void inputsAreTheOverlayFilesAndEverythingItsKustomizationReferencesRecursively() throws Exception {
    assertThat(files(STORE_3)).containsExactly(
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

    assertThat(files("apps/pos/overlays/shared-files"))
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
    assertThat(hash(POP, "kustomize v5.4.3")).isNotEqualTo(hash(POP, "kustomize v5.5.0"));
  }

  @Test
  void hashIsStableAcrossCalls() throws Exception {
    assertThat(hash(EDGE)).isEqualTo(hash(EDGE)).hasSize(64);
  }

  @Test
  void referenceCyclesAreFollowedOnce() throws Exception {
    repo.write("apps/loop/a/kustomization.yaml", "resources:\n- ../b\n");
    repo.write("apps/loop/b/kustomization.yaml", "resources:\n- ../a\n");

    assertThat(files("apps/loop/a"))
        .containsExactly("apps/loop/a/kustomization.yaml", "apps/loop/b/kustomization.yaml");
  }

  @Test
  void anAllowedPinnedRemoteResourceIsPartOfTheKey() throws Exception {
    String pinned = "https://github.com/example/repo//base?ref=" + "a".repeat(40);
    repo.write("apps/remote/kustomization.yaml", "resources:\n- " + pinned + "\n");
    OverlayInputs.Result inputs = inputs("apps/remote", Set.of("github.com"));
    String before = InputTree.hash(inputs, "v5");

    repo.write("apps/remote/kustomization.yaml", "resources:\n- " + pinned.replace("a", "b") + "\n");

    assertThat(inputs.remotes()).containsExactly(pinned);
    assertThat(InputTree.hash(inputs("apps/remote", Set.of("github.com")), "v5")).isNotEqualTo(before);
  }

  private Set<String> files(String overlay) throws Exception {
    return inputs(overlay, Set.of()).files().keySet();
  }

  private OverlayInputs.Result inputs(String overlay, Set<String> remoteHosts) throws Exception {
    OverlayInputs.Result inputs = OverlayInputs.of(RepoJail.of(root), repo.dir(overlay), remoteHosts, ReadLimits.DEFAULT);
    assertThat(inputs.problems()).isEmpty();
    return inputs;
  }

  private String hash(String overlay) throws Exception {
    return hash(overlay, "kustomize v5.5.0");
  }

  private String hash(String overlay, String salt) throws Exception {
    return InputTree.hash(inputs(overlay, Set.of()), salt);
  }
}
