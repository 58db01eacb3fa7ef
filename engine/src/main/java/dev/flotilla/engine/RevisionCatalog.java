package dev.flotilla.engine;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.git.Snapshot;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderDigest;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderResult;
import dev.flotilla.fleet.Site;
import java.util.ArrayList;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet repo's revisions as the engine needs them: loaded models and rendered desired states,
 * keyed by revision and kept within a memory budget (weighed by sites), so that passes and
 * deliveries do not load and render again however many revisions are live. A rendered state holds
 * no YAML (a delivery stamps its site's when it needs it), so a 100,000-site render weighs tens of
 * megabytes, not hundreds. Rendering itself is
 * cached on disk by content hash, so an entry evicted here comes back cheaply. Thread-safe.
 */
public final class RevisionCatalog {
  private final FleetRepoSource source;
  private final FleetRenderer renderer;
  private final Cache<String, Loaded> models;

  /** A model and its sites by name: {@link FleetModel#site} scans every site, and a wave delivers to thousands. */
  private record Loaded(FleetModel model, Map<String, Site> sites) {
    static Loaded of(FleetModel model) {
      Map<String, Site> byName = new java.util.HashMap<>();
      for (Site s : model.sites()) byName.putIfAbsent(s.name(), s); // the first of a name, as FleetModel#site finds
      return new Loaded(model, byName);
    }
  }
  private final Cache<String, Map<String, DesiredState>> renders;
  /** The sites of the model loaded last, by name: what the next model's unchanged sites are shared with. */
  private volatile Map<String, Site> latestSites = Map.of();
  /**
   * Per app and revision, a digest of each site's rendered objects with the revision left out: what
   * a sync compares to find the apps a commit changed, without keeping (or rendering again) the
   * previous revision's output, which at 100,000 sites is hundreds of megabytes.
   */
  private final Cache<String, Map<String, RenderDigest>> digests;

  /**
   * Budgets in bytes, estimated: a site of a model weighs {@value #BYTES_PER_SITE}, a rendered
   * desired state {@value #BYTES_PER_STATE} (it holds no YAML: see {@link DesiredState}).
   */
  public RevisionCatalog(FleetRepoSource source, FleetRenderer renderer, long modelBytes, long renderBytes) {
    this.source = source;
    this.renderer = renderer;
    this.models = Caffeine.newBuilder().maximumWeight(modelBytes)
        .weigher((String rev, Loaded m) -> saturated((long) (m.sites().size() + 1) * BYTES_PER_SITE)).build();
    this.renders = Caffeine.newBuilder().maximumWeight(renderBytes)
        .weigher((String key, Map<String, DesiredState> states) -> saturated(weight(states))).build();
    this.digests = Caffeine.newBuilder().maximumWeight(Math.max(1, modelBytes / 8))
        .weigher((String key, Map<String, RenderDigest> d) -> saturated(100L * (d.size() + 1))).build();
  }

  /** Budgets that scale with the heap: a quarter of it for fleet models, a quarter for rendered output. */
  public RevisionCatalog(FleetRepoSource source, FleetRenderer renderer) {
    this(source, renderer, Runtime.getRuntime().maxMemory() / 4, Runtime.getRuntime().maxMemory() / 4);
  }

  static final int BYTES_PER_SITE = 1_000;

  static final int BYTES_PER_STATE = 200;

  private static long weight(Map<String, DesiredState> states) {
    return BYTES_PER_STATE * (states.size() + 1L);
  }

  private static int saturated(long weight) {
    return (int) Math.min(Integer.MAX_VALUE, weight);
  }

  public Snapshot snapshot(String revision) throws GitSyncException {
    return source.snapshot(revision);
  }

  /** The validated model of a revision. */
  public FleetModel model(String revision) throws GitSyncException, FleetValidationException {
    return loaded(revision).model();
  }

  private Loaded loaded(String revision) throws GitSyncException, FleetValidationException {
    Loaded cached = models.getIfPresent(revision);
    if (cached != null) return cached;
    Loaded model = Loaded.of(sharingSites(FleetLoader.load(source.snapshot(revision).root())));
    models.put(revision, model);
    latestSites = model.sites();
    return model;
  }

  /**
   * The model with each site that is declared as in the last model loaded replaced by that one's
   * object. A commit usually changes a few sites or none, and the live revisions' models, renders
   * and rollouts all hold sites: at 100,000 sites each revision's own copies (names, labels,
   * values, zones) cost about 60 MB.
   */
  private FleetModel sharingSites(FleetModel model) {
    Map<String, Site> known = latestSites;
    if (known.isEmpty()) return model;
    List<Site> sites = new ArrayList<>(model.sites().size());
    for (Site s : model.sites()) {
      Site same = known.get(s.name());
      sites.add(same != null && same.equals(s) ? same : s);
    }
    return new FleetModel(model.fleet(), sites, model.apps(), model.policies(), model.siteOverlays());
  }

  /** The site as declared at a revision, found by name without a scan. */
  public Optional<Site> site(String revision, String name) throws GitSyncException, FleetValidationException {
    return Optional.ofNullable(loaded(revision).sites().get(name));
  }

  /** Every site's desired state of one app at a revision. */
  public Map<String, DesiredState> render(String app, String revision)
      throws GitSyncException, FleetValidationException, RenderException {
    String key = app + "@" + revision;
    Map<String, DesiredState> cached = renders.getIfPresent(key);
    if (cached != null) return cached;
    FleetModel model = model(revision);
    Snapshot snapshot = source.snapshot(revision);
    Set<String> sites = model.app(app).map(a -> model.targets(a).stream().map(s -> s.name())
        .collect(java.util.stream.Collectors.toSet())).orElse(Set.of());
    if (sites.isEmpty()) return Map.of();
    RenderResult result = renderer.render(model, snapshot.root(), snapshot.revision(), Set.of(app), sites);
    Map<String, DesiredState> states = result.states().getOrDefault(app, Map.of());
    renders.put(key, states);
    digests.put(key, digest(states));
    return states;
  }

  /**
   * Each site's {@link RenderDigest} for the app at the revision: remembered from its render, or
   * rendered again when forgotten (after a restart, say).
   */
  public Map<String, RenderDigest> digests(String app, String revision)
      throws GitSyncException, FleetValidationException, RenderException {
    String key = app + "@" + revision;
    Map<String, RenderDigest> known = digests.getIfPresent(key);
    if (known != null) return known;
    Map<String, DesiredState> states = render(app, revision);
    Map<String, RenderDigest> made = digests.getIfPresent(key);
    return made != null ? made : digest(states);
  }

  private static Map<String, RenderDigest> digest(Map<String, DesiredState> states) {
    Map<String, RenderDigest> out = new java.util.HashMap<>();
    states.forEach((site, state) -> out.put(site, state.digest()));
    return Map.copyOf(out);
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
    Map<String, DesiredState> whole = renders.getIfPresent(app + "@" + revision);
    if (whole != null && whole.containsKey(site.name())) return Optional.of(whole.get(site.name()));
    FleetModel model = model(revision);
    if (site(revision, site.name()).isPresent()) {
      // Not (or no longer) in memory: render this one site; the tier overlays come from the render cache on disk.
      Snapshot snapshot = source.snapshot(revision);
      return renderer.render(model, snapshot.root(), snapshot.revision(), Set.of(app), Set.of(site.name())).state(app, site.name());
    }
    List<Site> sites = new ArrayList<>(model.sites());
    sites.add(site);
    FleetModel joined = new FleetModel(model.fleet(), sites, model.apps(), model.policies(), model.siteOverlays());
    Snapshot snapshot = source.snapshot(revision);
    RenderResult result = renderer.render(joined, snapshot.root(), snapshot.revision(), Set.of(app), Set.of(site.name()));
    return result.state(app, site.name());
  }
}
