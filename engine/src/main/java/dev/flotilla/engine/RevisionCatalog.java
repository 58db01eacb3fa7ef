package dev.flotilla.engine;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.git.Snapshot;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderResult;
import dev.flotilla.fleet.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet repo's revisions as the engine needs them: loaded models and rendered desired states,
 * kept for the few most recent revisions so that every tick and delivery does not load and render
 * again. Rendering itself is cached on disk by content hash, so a revision dropped from here comes
 * back cheaply. Thread-safe.
 */
public final class RevisionCatalog {
  private final FleetRepoSource source;
  private final FleetRenderer renderer;
  private final Map<String, FleetModel> models;
  private final Map<String, RenderResult> renders;

  public RevisionCatalog(FleetRepoSource source, FleetRenderer renderer, int keep) {
    this.source = source;
    this.renderer = renderer;
    this.models = lru(keep);
    this.renders = lru(keep * 4);
  }

  private static <V> Map<String, V> lru(int size) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > size;
      }
    };
  }

  public Snapshot snapshot(String revision) throws GitSyncException {
    return source.snapshot(revision);
  }

  /** The validated model of a revision. */
  public FleetModel model(String revision) throws GitSyncException, FleetValidationException {
    synchronized (models) {
      FleetModel cached = models.get(revision);
      if (cached != null) return cached;
    }
    FleetModel model = FleetLoader.load(source.snapshot(revision).root());
    synchronized (models) {
      models.put(revision, model);
    }
    return model;
  }

  /** Every site's desired state of one app at a revision. */
  public Map<String, DesiredState> render(String app, String revision)
      throws GitSyncException, FleetValidationException, RenderException {
    String key = app + "@" + revision;
    synchronized (renders) {
      RenderResult cached = renders.get(key);
      if (cached != null) return cached.states().getOrDefault(app, Map.of());
    }
    FleetModel model = model(revision);
    Snapshot snapshot = source.snapshot(revision);
    Set<String> sites = model.app(app).map(a -> model.targets(a).stream().map(s -> s.name())
        .collect(java.util.stream.Collectors.toSet())).orElse(Set.of());
    if (sites.isEmpty()) return Map.of();
    RenderResult result = renderer.render(model, snapshot.root(), snapshot.revision(), Set.of(app), sites);
    synchronized (renders) {
      renders.put(key, result);
    }
    return result.states().getOrDefault(app, Map.of());
  }

  public Optional<DesiredState> desiredState(String app, String revision, String site)
      throws GitSyncException, FleetValidationException, RenderException {
    return Optional.ofNullable(render(app, revision).get(site));
  }

  /**
   * The desired state of {@code app} at {@code revision} for {@code site}, also when the site joined
   * the fleet in a later revision: the app's overlays come from {@code revision}, the site (tier,
   * values) from where it is declared now. A site that joins a running rollout gets that rollout's
   * release, not a newer one.
   */
  public Optional<DesiredState> desiredState(String app, String revision, Site site)
      throws GitSyncException, FleetValidationException, RenderException {
    FleetModel model = model(revision);
    if (model.site(site.name()).isPresent()) return desiredState(app, revision, site.name());
    List<Site> sites = new ArrayList<>(model.sites());
    sites.add(site);
    FleetModel joined = new FleetModel(model.fleet(), sites, model.apps(), model.policies(), model.siteOverlays());
    Snapshot snapshot = source.snapshot(revision);
    RenderResult result = renderer.render(joined, snapshot.root(), snapshot.revision(), Set.of(app), Set.of(site.name()));
    return result.state(app, site.name());
  }
}
