package dev.flotilla.render;

import static dev.flotilla.render.FleetRepoFixture.EDGE;
import static dev.flotilla.render.FleetRepoFixture.POP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders a small fleet repo with the real kustomize: a standalone {@code kustomize} or {@code
 * kubectl kustomize}, whichever {@link KustomizeBinary} finds. Without either the tests fail with
 * the install hint rather than skip, so a CI machine without kustomize cannot pass silently.
 */
class FleetRendererIT {
  @TempDir Path root;
  @TempDir Path cacheDir;
  private FleetRepoFixture repo;
  private final ProcessRunner runner = new ProcessRunner();

  @BeforeEach
  void makeRepo() {
    repo = new FleetRepoFixture(root);
  }

  @Test
  void rendersEverySiteBuildingEachDistinctOverlayOnce() throws Exception {
    KustomizeCliRenderer kustomize = kustomize();
    try (FleetRenderer renderer = new FleetRenderer(kustomize, RenderCache.onDisk(cacheDir))) {
      RenderResult result = renderer.render(repo.model(), root, "worktree");

      assertThat(result.size()).isEqualTo(5);
      assertThat(result.stats().overlays()).isEqualTo(3);
      assertThat(result.stats().kustomizeCalls()).isEqualTo(3);
      assertThat(kustomize.calls()).isEqualTo(3);
      DesiredState store3 = result.state("pos", "store-0003").orElseThrow();
      assertThat(store3.manifests()).extracting(Manifest::id).containsExactly("Service/pos/pos", "Deployment/pos/pos");
      assertThat(store3.yaml()).contains("replicas: 3").contains("value: \"0003\"").contains("value: store-0003")
          .contains("flotilla.dev/tier: pop");
      DesiredState gw2 = result.state("pos", "gw-0002").orElseThrow();
      assertThat(gw2.manifests()).extracting(Manifest::id).contains("ConfigMap/pos/pos-edge");
      assertThat(gw2.yaml()).contains("value: none");
    }
  }

  @Test
  void aSecondProcessWithTheSameCacheFolderRunsKustomizeNoMore() throws Exception {
    try (FleetRenderer first = new FleetRenderer(kustomize(), RenderCache.onDisk(cacheDir))) {
      first.render(repo.model(), root, "worktree");
    }
    KustomizeCliRenderer kustomize = kustomize();
    try (FleetRenderer second = new FleetRenderer(kustomize, RenderCache.onDisk(cacheDir))) {
      RenderStats stats = second.render(repo.model(), root, "worktree").stats();

      assertThat(stats.kustomizeCalls()).isZero();
      assertThat(stats.cacheHits()).isEqualTo(3);
      assertThat(kustomize.calls()).isZero();
    }
  }

  @Test
  void changingOneTierOverlayRebuildsOnlyThatOverlay() throws Exception {
    KustomizeCliRenderer kustomize = kustomize();
    try (FleetRenderer renderer = new FleetRenderer(kustomize, RenderCache.onDisk(cacheDir))) {
      renderer.render(repo.model(), root, "worktree");
      repo.write(EDGE + "/kustomization.yaml", """
          namespace: pos-edge
          resources:
          - ../../base
          """);

      RenderResult result = renderer.render(repo.model(), root, "worktree");

      assertThat(result.stats().kustomizeCalls()).isEqualTo(1);
      assertThat(kustomize.calls()).isEqualTo(4);
      assertThat(result.state("pos", "gw-0001").orElseThrow().manifests())
          .extracting(Manifest::namespace).containsOnly("pos-edge");
    }
  }

  @Test
  void aBrokenKustomizationFailsNamingTheAppTheOverlayAndKustomizesError() throws Exception {
    repo.write(POP + "/kustomization.yaml", """
        resources:
        - ../../base
        - does-not-exist.yaml
        """);
    try (FleetRenderer renderer = new FleetRenderer(kustomize(), RenderCache.onDisk(cacheDir))) {
      assertThatThrownBy(() -> renderer.render(repo.model(), root, "worktree"))
          .isInstanceOfSatisfying(RenderException.class, e -> {
            assertThat(e.app()).contains("pos");
            assertThat(e.overlay()).contains(POP);
            assertThat(e.stderr()).contains("does-not-exist.yaml");
          })
          .hasMessageContaining("app pos")
          .hasMessageContaining("overlay " + POP)
          .hasMessageContaining("does-not-exist.yaml");
    }
  }

  @Test
  void theBinaryReportsAVersionForTheCacheKey() throws Exception {
    assertThat(KustomizeBinary.locate(null, runner).version()).isNotBlank();
  }

  /** Fails, with the install hint, when neither kustomize nor kubectl can be found. */
  private KustomizeCliRenderer kustomize() throws RenderException {
    return new KustomizeCliRenderer(KustomizeBinary.locate(null, runner), runner);
  }
}
