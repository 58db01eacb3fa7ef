package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.app.Rendering;
import dev.flotilla.fleet.Problem;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitAuth;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.testing.FleetFiles;
import dev.flotilla.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a real Git remote (file://, bare) with the real kustomize. */
class FleetSyncIT {
  @TempDir Path dir;
  GitFixture author;
  Path remote;
  FleetRepoSource source;
  FleetRenderer renderer;
  FleetSync sync;
  RevisionCatalog catalog;
  final List<String> events = new ArrayList<>();

  /** Records what the sync reports, in order. */
  final ReleaseSink sink = new ReleaseSink() {
    public void release(String app, String revision, String previous, boolean forced) {
      events.add("release " + app + (forced ? " forced" : ""));
    }
    public void releaseFailed(String app, String revision, String error) {
      events.add("failed " + app + ": " + error);
    }
    public void revisionInvalid(String branch, String revision, List<Problem> problems) {
      events.add("invalid " + problems.get(0));
    }
    public void revisionRefused(String branch, String revision, String reason) {
      events.add("refused " + reason);
    }
    public void syncFailed(String branch, String error) {
      events.add("sync failed " + error);
    }
    public void synced(String branch, String revision, boolean forced) {
      events.add("synced");
    }
  };

  @BeforeEach
  void repo() throws Exception {
    author = GitFixture.init(dir.resolve("author"));
    FleetFiles.minimal(author.workTree());
    author.write("apps/api/app.yaml", """
        apiVersion: flotilla.dev/v1
        kind: App
        metadata:
          name: api
        spec:
          targets: {tiers: [hub]}
          policy: default
        """)
        .write("apps/api/base/kustomization.yaml", "resources: [cm.yaml]\n")
        .write("apps/api/base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  v: \"1\"\n")
        .write("apps/api/overlays/hub/kustomization.yaml", "resources: [../../base]\n");
    author.commit("two apps");
    remote = GitFixture.initBare(dir.resolve("remote.git"));
    author.pushTo(remote, "main");
    source = FleetRepoSource.open(remote.toUri().toString(), dir.resolve("cache"), GitAuth.NONE);
    renderer = Rendering.renderer(null, dir.resolve("cache"), 2, Duration.ofSeconds(60));
    catalog = new RevisionCatalog(source, renderer);
    sync = new FleetSync(source, "main", catalog, sink);
  }

  @AfterEach
  void close() {
    renderer.close();
    source.close();
    author.close();
  }

  private String push(String message) {
    String c = author.commit(message);
    author.pushTo(remote, "main");
    return c;
  }

  @Test
  void firstSyncReleasesEveryApp() {
    FleetSync.Outcome outcome = sync.sync(null);

    assertThat(outcome.released()).containsExactly("api", "web");
    assertThat(events).containsExactly("release api", "release web", "synced");
  }

  @Test
  void onlyAppsWhoseOutputChangedAreReleased() {
    String first = sync.sync(null).revision();
    events.clear();
    author.write("apps/api/base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  v: \"2\"\n");
    String second = push("api v2");

    FleetSync.Outcome outcome = sync.sync(first);

    assertThat(outcome.revision()).isEqualTo(second);
    assertThat(events).containsExactly("release api", "synced");
  }

  @Test
  void aNewRevisionsModelSharesTheSitesDeclaredAsBefore() throws Exception {
    String first = sync.sync(null).revision();
    author.write("sites/sites.yaml", Files.readString(author.workTree().resolve("sites/sites.yaml"))
        .replace("GREETING: hello", "GREETING: bonjour"));
    String second = push("edge-1 says bonjour");
    sync.sync(first);

    assertThat(catalog.site(second, "edge-2").orElseThrow()).isSameAs(catalog.site(first, "edge-2").orElseThrow());
    assertThat(catalog.site(second, "edge-1").orElseThrow()).isNotSameAs(catalog.site(first, "edge-1").orElseThrow());
    assertThat(catalog.site(second, "edge-1").orElseThrow().values()).containsEntry("GREETING", "bonjour");
  }

  @Test
  void aCommitThatChangesNoRenderedOutputReleasesNothing() {
    String first = sync.sync(null).revision();
    events.clear();
    author.write("README.md", "notes\n");
    push("docs only");

    assertThat(sync.sync(first).released()).isEmpty();
    assertThat(events).containsExactly("synced");
  }

  @Test
  void anInvalidRevisionKeepsTheLastSyncedOne() {
    String first = sync.sync(null).revision();
    events.clear();
    author.write("sites/extra.yaml", "apiVersion: flotilla.dev/v1\nkind: Site\nmetadata:\n  name: x\nspec:\n  tier: moon\n  timezone: UTC\n");
    push("bad site");

    FleetSync.Outcome outcome = sync.sync(first);

    assertThat(outcome.revision()).isEqualTo(first);
    assertThat(events).singleElement().asString().startsWith("invalid sites/extra.yaml:6: spec.tier: no tier named 'moon'");
  }

  @Test
  void aRenderFailureStopsOnlyThatAppsRelease() {
    String first = sync.sync(null).revision();
    events.clear();
    author.write("apps/api/overlays/hub/kustomization.yaml", "resources: [../../missing]\n")
        .write("apps/web/base/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  v: \"2\"\n");
    push("break api, change web");

    sync.sync(first);

    assertThat(events).hasSize(3);
    assertThat(events.get(0)).startsWith("failed api: ").contains("apps/api/overlays/hub");
    assertThat(events.subList(1, 3)).containsExactly("release web", "synced");
  }

  @Test
  void aForcePushIsReportedAsSuch() {
    String first = sync.sync(null).revision();
    events.clear();
    author.orphan("rewrite");
    FleetFiles.minimal(author.workTree());
    author.write("apps/web/base/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  v: \"3\"\n");
    String rewritten = author.commit("unrelated history");
    author.moveBranch("main", rewritten).pushTo(remote, "main");

    FleetSync.Outcome outcome = sync.sync(first);

    assertThat(outcome.forced()).isTrue();
    assertThat(events).contains("release web forced");
  }

  @Test
  void anUnreachableRemoteKeepsTheLastSyncedRevision() throws Exception {
    String first = sync.sync(null).revision();
    events.clear();
    Files.move(remote, dir.resolve("gone.git"));

    FleetSync.Outcome outcome = sync.sync(first);

    assertThat(outcome.revision()).isEqualTo(first);
    assertThat(outcome.error()).isNotBlank();
    assertThat(events).singleElement().asString().startsWith("sync failed");
  }
}
