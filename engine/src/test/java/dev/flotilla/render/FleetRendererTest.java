package dev.flotilla.render;

import static dev.flotilla.render.FleetRepoFixture.EDGE;
import static dev.flotilla.render.FleetRepoFixture.POP;
import static dev.flotilla.render.FleetRepoFixture.STORE_3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.fleet.FleetModel;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetRendererTest {
  private static final String REVISION = "worktree";

  @TempDir Path root;
  private FleetRepoFixture repo;
  private FleetModel model;
  private final FakeRenderer kustomize = new FakeRenderer(overlay -> """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: from-%s
        namespace: pos
      data:
        store: "${STORE_ID:=none}"
      """.formatted(overlay.substring(overlay.lastIndexOf('/') + 1)));
  private FleetRenderer renderer;

  @BeforeEach
  void setUp() {
    repo = new FleetRepoFixture(root);
    model = repo.model();
    renderer = new FleetRenderer(kustomize, RenderCache.inMemory(), 2);
  }

  @AfterEach
  void tearDown() {
    renderer.close();
  }

  @Test
  void everyTargetedSiteGetsADesiredStateFromItsTierOverlay() throws Exception {
    RenderResult result = renderer.render(model, root, REVISION);

    assertThat(result.states()).containsOnlyKeys("pos");
    assertThat(result.states().get("pos"))
        .containsOnlyKeys("gw-0001", "gw-0002", "store-0001", "store-0002", "store-0003");
    assertThat(result.state("pos", "gw-0001").orElseThrow().manifests().get(0).name()).isEqualTo("from-edge");
    assertThat(result.state("pos", "store-0001").orElseThrow().manifests().get(0).name()).isEqualTo("from-pop");
  }

  @Test
  void aSiteWithItsOwnOverlayIsRenderedFromIt() throws Exception {
    RenderResult result = renderer.render(model, root, REVISION);

    assertThat(result.state("pos", "store-0003").orElseThrow().manifests().get(0).name())
        .isEqualTo("from-store-0003");
  }

  @Test
  void eachDistinctOverlayIsBuiltOnceHoweverManySitesUseIt() throws Exception {
    RenderResult result = renderer.render(model, root, REVISION);

    assertThat(kustomize.built).containsExactlyInAnyOrder(EDGE, POP, STORE_3);
    assertThat(result.stats().overlays()).isEqualTo(3);
    assertThat(result.stats().kustomizeCalls()).isEqualTo(3);
    assertThat(result.stats().cacheHits()).isZero();
  }

  @Test
  void unchangedOverlaysComeFromTheCacheOnTheNextRender() throws Exception {
    renderer.render(model, root, REVISION);
    repo.write(EDGE + "/extra.yaml", "changed: true\n");

    RenderStats stats = renderer.render(model, root, "next").stats();

    assertThat(stats.kustomizeCalls()).isEqualTo(1);
    assertThat(stats.cacheHits()).isEqualTo(2);
    assertThat(kustomize.built).hasSize(4).endsWith(EDGE);
  }

  @Test
  void afterACommitOnlyTheSitesOfTheChangedOverlayAreStampedAgain() throws Exception {
    renderer.render(model, root, "a".repeat(40));
    repo.write(EDGE + "/extra.yaml", "changed: true\n");

    RenderResult next = renderer.render(model, root, "b".repeat(40));

    assertThat(next.stats().stamped()).isEqualTo(2); // gw-0001 and gw-0002, of the edge overlay
    try (FleetRenderer fresh = new FleetRenderer(kustomize, RenderCache.inMemory(), 2)) {
      RenderResult expected = fresh.render(model, root, "b".repeat(40));
      assertThat(expected.stats().stamped()).isEqualTo(5);
      for (String site : java.util.List.of("gw-0001", "gw-0002", "store-0001", "store-0002", "store-0003")) {
        DesiredState reused = next.state("pos", site).orElseThrow();
        assertThat(reused.revision()).isEqualTo("b".repeat(40));
        assertThat(reused.yaml()).as(site).isEqualTo(expected.state("pos", site).orElseThrow().yaml());
        // The digest taken over from the last render is the one a fresh stamp gives.
        assertThat(reused.digest()).as(site).isEqualTo(RenderDigest.of(new DesiredState(site, "pos", "b".repeat(40),
            expected.state("pos", site).orElseThrow().manifests())));
      }
    }
  }

  @Test
  void ofAChangedOverlayOnlyTheChangedObjectsAreStampedAgainAndTheResultIsAsFresh() throws Exception {
    FakeRenderer twoObjects = new FakeRenderer(overlay -> """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: pos
        data:
          store: "${STORE_ID:=none}"
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: image
          namespace: pos
        data:
          tag: "%s"
        """.formatted(overlay.equals(EDGE) && java.nio.file.Files.exists(root.resolve(EDGE).resolve("extra.yaml")) ? "2.0" : "1.0"));
    try (FleetRenderer memo = new FleetRenderer(twoObjects, RenderCache.inMemory(), 2);
        FleetRenderer fresh = new FleetRenderer(twoObjects, RenderCache.inMemory(), 2)) {
      memo.render(model, root, "a".repeat(40));
      repo.write(EDGE + "/extra.yaml", "changed: true\n");

      RenderResult next = memo.render(model, root, "b".repeat(40));
      RenderResult expected = fresh.render(model, root, "b".repeat(40));

      for (String site : java.util.List.of("gw-0001", "gw-0002", "store-0001")) {
        assertThat(next.state("pos", site).orElseThrow().yaml()).as(site)
            .isEqualTo(expected.state("pos", site).orElseThrow().yaml());
        assertThat(next.state("pos", site).orElseThrow().digest()).as(site)
            .isEqualTo(expected.state("pos", site).orElseThrow().digest());
      }
      assertThat(next.stats().stamped()).isEqualTo(2); // the edge overlay's sites, one object each
      assertThat(next.state("pos", "gw-0001").orElseThrow().yaml()).contains("tag: \"2.0\"", "store: g1");
    }
  }

  @Test
  void aDigestLeavesTheRevisionOutAndChangesWithWhatTheSiteWouldApply() throws Exception {
    RenderResult first = renderer.render(model, root, "a".repeat(40));
    try (FleetRenderer fresh = new FleetRenderer(kustomize, RenderCache.inMemory(), 2)) {
      RenderResult sameTreeOtherRevision = fresh.render(model, root, "b".repeat(40));
      assertThat(sameTreeOtherRevision.state("pos", "gw-0001").orElseThrow().digest())
          .isEqualTo(first.state("pos", "gw-0001").orElseThrow().digest());
    }
    FleetModel changed = new FleetModel(model.fleet(), model.sites().stream()
        .map(s -> s.name().equals("store-0001") ? Sites.site("store-0001", "pop", java.util.Map.of("STORE_ID", "0999")) : s)
        .toList(), model.apps(), model.policies(), java.util.Map.of("pos", Set.of("store-0003")));

    RenderResult next = renderer.render(changed, root, "c".repeat(40));

    assertThat(next.state("pos", "store-0001").orElseThrow().digest())
        .isNotEqualTo(first.state("pos", "store-0001").orElseThrow().digest());
    assertThat(next.state("pos", "store-0002").orElseThrow().digest())
        .isEqualTo(first.state("pos", "store-0002").orElseThrow().digest());
  }

  @Test
  void aSiteWhoseDeclarationChangedIsStampedAgainThoughItsOverlayDidNot() throws Exception {
    renderer.render(model, root, "a".repeat(40));
    FleetModel changed = new FleetModel(model.fleet(), model.sites().stream()
        .map(s -> s.name().equals("store-0001") ? Sites.site("store-0001", "pop", java.util.Map.of("STORE_ID", "0999")) : s)
        .toList(), model.apps(), model.policies(), java.util.Map.of("pos", Set.of("store-0003")));

    RenderResult next = renderer.render(changed, root, "b".repeat(40));

    assertThat(next.stats().stamped()).isEqualTo(1);
    assertThat(next.state("pos", "store-0001").orElseThrow().yaml()).contains("store: \"0999\"");
  }

  @Test
  void eachSiteIsStampedWithItsOwnValuesAndTheRevision() throws Exception {
    RenderResult result = renderer.render(model, root, "abc123");

    DesiredState gw2 = result.state("pos", "gw-0002").orElseThrow();
    assertThat(gw2.revision()).isEqualTo("abc123");
    assertThat(gw2.yaml()).contains("store: none").contains("flotilla.dev/site: gw-0002");
    assertThat(result.state("pos", "store-0002").orElseThrow().yaml()).contains("store: \"0002\"");
  }

  @Test
  void filtersLimitTheRenderToTheNamedAppsAndSites() throws Exception {
    RenderResult result = renderer.render(model, root, REVISION, Set.of("pos"), Set.of("gw-0001", "store-0001"));

    assertThat(result.states().get("pos")).containsOnlyKeys("gw-0001", "store-0001");
    assertThat(kustomize.built).containsExactlyInAnyOrder(EDGE, POP);
  }

  @Test
  void filterNamingAnUnknownSiteIsRefused() {
    assertThatThrownBy(() -> renderer.render(model, root, REVISION, Set.of(), Set.of("nowhere")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no site 'nowhere'");
  }

  @Test
  void aFailedOverlayBuildFailsTheRenderNamingAppAndOverlay() {
    FakeRenderer failing = new FakeRenderer(overlay -> overlay.equals(EDGE) ? null : "kind: ConfigMap\n");
    try (FleetRenderer r = new FleetRenderer(failing, RenderCache.inMemory(), 2)) {
      assertThatThrownBy(() -> r.render(model, root, REVISION))
          .isInstanceOfSatisfying(RenderException.class, e -> {
            assertThat(e.app()).contains("pos");
            assertThat(e.overlay()).contains(EDGE);
            assertThat(e.stderr()).contains("boom");
          });
    }
  }

  @Test
  void aMissingOverlayFolderFailsNamingIt() throws Exception {
    org.assertj.core.util.Files.delete(repo.dir(EDGE).toFile());

    assertThatThrownBy(() -> renderer.render(model, root, REVISION))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("overlay " + EDGE)
        .hasMessageContaining("does not exist");
  }

  @Test
  void anUndefinedVariableFailsTheRenderNamingTheSite() {
    FakeRenderer strict = new FakeRenderer(overlay -> "kind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: ${NOPE}\n");
    try (FleetRenderer r = new FleetRenderer(strict, RenderCache.inMemory(), 2)) {
      assertThatThrownBy(() -> r.render(model, root, REVISION))
          .isInstanceOf(RenderException.class)
          .hasMessageContaining("site gw-0001")
          .hasMessageContaining("app pos")
          .hasMessageContaining("overlay " + EDGE)
          .hasMessageContaining("object ConfigMap//c")
          .hasMessageContaining("${NOPE}");
    }
  }

  @Test
  void closingStopsThePoolThreads() throws Exception {
    renderer.render(model, root, REVISION);

    renderer.close();

    Thread.sleep(200);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("flotilla-render-") && t.isAlive());
  }
}
