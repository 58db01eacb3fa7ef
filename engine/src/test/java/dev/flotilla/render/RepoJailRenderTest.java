package dev.flotilla.render;

import static dev.flotilla.render.FleetRepoFixture.BASE;
import static dev.flotilla.render.FleetRepoFixture.POP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.fleet.Fleet;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitAuth;
import dev.flotilla.testing.GitFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The render surface treats the fleet repo as a jail: whatever an overlay's kustomizations name
 * must resolve inside the repo, after links, or kustomize never runs; remote resources need an
 * allowed host and a pinned commit; a revision's snapshot is judged as its working tree is.
 */
class RepoJailRenderTest {
  private static final String PINNED = "https://github.com/example/pos//base?ref=0123456789abcdef0123456789abcdef01234567";

  @TempDir Path root;
  @TempDir Path outside;
  private FleetRepoFixture repo;
  private final FakeRenderer kustomize = new FakeRenderer(overlay -> "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
      + "  name: pos\n");
  private FleetRenderer renderer;

  @BeforeEach
  void setUp() throws IOException {
    repo = new FleetRepoFixture(root);
    renderer = new FleetRenderer(kustomize, RenderCache.inMemory(), 2);
    Files.writeString(outside.resolve("kustomization.yaml"), "resources:\n- secret.yaml\n");
    Files.writeString(outside.resolve("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: host-secret\n");
  }

  @AfterEach
  void tearDown() {
    renderer.close();
  }

  @Test
  void aResourceThatClimbsOutOfTheRepoIsRefusedWithFileAndLineBeforeKustomizeRuns() {
    repo.write(POP + "/kustomization.yaml", "resources:\n- ../../base\n- ../../../../../../../../.." + outside + "\n");

    RenderException e = renderFails(repo.model(), root);

    assertThat(e.getMessage()).contains(POP + "/kustomization.yaml:3: resources[1]: '../../../../../../../../.."
        + outside + "' climbs out of the fleet repo");
    assertThat(kustomize.built).doesNotContain(POP);
  }

  @Test
  void anAbsolutePathIsRefused() {
    repo.write(POP + "/kustomization.yaml", "resources:\n- ../../base\npatches:\n- path: " + outside
        + "/secret.yaml\n");

    assertThat(renderFails(repo.model(), root).getMessage())
        .contains(POP + "/kustomization.yaml:4: patches[0].path: '" + outside + "/secret.yaml' is an absolute path");
  }

  @Test
  void aLinkedFolderThatLeavesTheRepoIsRefusedNamingTheLink() throws IOException {
    Files.createSymbolicLink(root.resolve("apps/pos/shared"), outside);
    repo.write(POP + "/kustomization.yaml", "resources:\n- ../../base\n- ../../shared\n");

    RenderException e = renderFails(repo.model(), root);

    assertThat(e.getMessage()).contains(POP + "/kustomization.yaml:3: resources[1]: '../../shared' is a link that leads"
        + " outside the fleet repo (to " + outside.toRealPath() + ")");
    assertThat(e.getMessage()).doesNotContain("host-secret");
  }

  @Test
  void aLinkInsideAnInputFolderThatLeavesTheRepoIsRefusedEvenIfNothingNamesIt() throws IOException {
    Files.createSymbolicLink(root.resolve(BASE + "/extra.yaml"), outside.resolve("secret.yaml"));

    assertThat(renderFails(repo.model(), root).getMessage())
        .contains(BASE + "/extra.yaml: is a link that leads outside the fleet repo");
  }

  @Test
  void aLinkThatStaysInsideTheRepoIsFollowed() throws Exception {
    Files.createSymbolicLink(root.resolve("apps/pos/shared"), Path.of("base"));
    repo.write(POP + "/kustomization.yaml", "resources:\n- ../../shared\n");

    renderer.render(repo.model(), root, "worktree");

    assertThat(kustomize.built).contains(POP);
  }

  @Test
  void aRemoteResourceIsRefusedUnlessFleetYamlAllowsItsHost() {
    repo.write(POP + "/kustomization.yaml", "resources:\n- " + PINNED + "\n");

    assertThat(renderFails(repo.model(), root).getMessage()).contains(POP + "/kustomization.yaml:2: resources[0]: '"
        + PINNED.substring(0, 80) + "… (" + (PINNED.length() - 80) + " more characters)' is a remote resource on host"
        + " 'github.com', and fleet.yaml's spec.remoteResources.allowedHosts is empty");
  }

  @Test
  void anAllowedRemoteResourceMustBePinnedToACommit() {
    repo.write(POP + "/kustomization.yaml", "resources:\n- https://github.com/example/pos//base?ref=main\n");

    assertThat(renderFails(withRemoteHosts("github.com"), root).getMessage()).contains(
        POP + "/kustomization.yaml:2: resources[0]: 'https://github.com/example/pos//base?ref=main' is not pinned");
  }

  @Test
  void anAllowedPinnedRemoteResourceIsRendered() throws Exception {
    repo.write(POP + "/kustomization.yaml", "resources:\n- " + PINNED + "\n");

    renderer.render(withRemoteHosts("github.com"), root, "worktree");

    assertThat(kustomize.built).contains(POP);
  }

  @Test
  void plainHttpAndFileUrlsAreRefusedEvenForAnAllowedHost() {
    repo.write(POP + "/kustomization.yaml", "resources:\n- http://github.com/x/y?ref=" + "a".repeat(40)
        + "\n- file:///etc\n");

    assertThat(renderFails(withRemoteHosts("github.com"), root).getMessage())
        .contains(":2: resources[0]: 'http://github.com/x/y?ref=" + "a".repeat(40)
            + "' remote resources are fetched over https:// or ssh:// only, not http://")
        .contains(":3: resources[1]: 'file:///etc' remote resources are fetched over https:// or ssh:// only, not"
            + " file:// (a file:// URL reads the engine's own disk)");
  }

  @Test
  void aRevisionSnapshotIsJudgedLikeTheWorkingTree(@TempDir Path cache) throws Exception {
    Files.createSymbolicLink(root.resolve("apps/pos/shared"), outside);
    repo.write(POP + "/kustomization.yaml", "resources:\n- ../../base\n- ../../shared\n");
    String worktreeMessage = renderFails(repo.model(), root).getMessage();
    try (GitFixture git = GitFixture.init(root)) {
      String commit = git.commit("a link out of the repo");
      try (FleetRepoSource source = FleetRepoSource.open(root.toString(), cache, GitAuth.NONE)) {
        Path snapshot = source.snapshot(commit).root();

        String snapshotMessage = renderFails(repo.model(), snapshot).getMessage();

        assertThat(snapshotMessage).isEqualTo(worktreeMessage).contains("'../../shared' is a link that leads outside");
      }
    }
  }

  private FleetModel withRemoteHosts(String... hosts) {
    FleetModel model = repo.model();
    Fleet fleet = model.fleet();
    return new FleetModel(new Fleet(fleet.name(), fleet.tiers(), fleet.windows(), fleet.freezes(), Set.of(hosts)),
        model.sites(), model.apps(), model.policies(), model.siteOverlays());
  }

  private RenderException renderFails(FleetModel model, Path at) {
    RenderException e = catchThrowableOfType(RenderException.class, () -> renderer.render(model, at, "worktree"));
    assertThat(e).as("the render should be refused").isNotNull();
    return e;
  }
}
