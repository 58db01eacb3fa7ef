package dev.flotilla.render;

import dev.flotilla.fleet.App;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.OverlayInputs;
import dev.flotilla.fleet.ReadLimits;
import dev.flotilla.fleet.RepoJail;
import dev.flotilla.fleet.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the desired state of every (site, app) pair of a fleet repo snapshot. A site with its
 * own overlay ({@code apps/<app>/sites/<site>}) is rendered from it, every other site from its
 * tier's overlay ({@code apps/<app>/overlays/<tier>}). Each distinct overlay is built once, and only
 * when the render cache has no output for the content hash of its inputs; overlays are built, then
 * sites stamped, in parallel on a pool this renderer owns: {@link #close()} stops it.
 */
public final class FleetRenderer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetRenderer.class);
  /** More failures than this are counted in the first one's suppressed list no further. */
  private static final int MAX_SUPPRESSED = 10;

  private final Renderer renderer;
  private final RenderCache cache;
  private final ReadLimits limits;
  private final ExecutorService pool;
  private final StampMemo memo = new StampMemo();

  /** An overlay of an app by its path relative to the repo root, such as {@code apps/pos/overlays/edge}. */
  private record OverlayRef(String app, String path) {
    static final Comparator<OverlayRef> ORDER = Comparator.comparing(OverlayRef::app).thenComparing(OverlayRef::path);

    String key() {
      return app + "\0" + path;
    }
  }

  /** An overlay's parsed output and the content hash of its inputs. */
  private record Prepared(String inputHash, RenderedOverlay overlay) {}

  private record Job(OverlayRef overlay, Site site) {}

  public FleetRenderer(Renderer renderer, RenderCache cache) {
    this(renderer, cache, Runtime.getRuntime().availableProcessors());
  }

  /** Reads the repo within the limits of this process's environment ({@link ReadLimits#fromEnvironment}). */
  public FleetRenderer(Renderer renderer, RenderCache cache, int parallelism) {
    this(renderer, cache, parallelism, ReadLimits.fromEnvironment(System.getenv()));
  }

  public FleetRenderer(Renderer renderer, RenderCache cache, int parallelism, ReadLimits limits) {
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    this.renderer = renderer;
    this.cache = cache;
    this.limits = limits;
    this.pool = Executors.newFixedThreadPool(parallelism, threadFactory());
  }

  /** Renders every app for every site it targets. */
  public RenderResult render(FleetModel model, Path root, String revision) throws RenderException {
    return render(model, root, revision, Set.of(), Set.of());
  }

  /**
   * Renders the named apps for the named sites among those they target; an empty set means all.
   *
   * @throws IllegalArgumentException when a filter names an app or site the fleet does not have
   * @throws RenderException for the first failure in (app, overlay, site) order; further ones are
   *     attached as suppressed exceptions
   */
  public RenderResult render(FleetModel model, Path root, String revision, Set<String> apps, Set<String> sites)
      throws RenderException {
    long start = System.nanoTime();
    Map<OverlayRef, List<Site>> plan = plan(model, apps, sites);
    String fingerprint = renderer.fingerprint();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger hits = new AtomicInteger();
    RepoJail jail;
    try {
      jail = RepoJail.of(root);
    } catch (IOException e) {
      throw RenderException.couldNotRun("cannot read the fleet repo folder " + root, null, null, e);
    }
    Set<String> remoteHosts = model.fleet().remoteHosts();

    List<OverlayRef> overlays = List.copyOf(plan.keySet());
    List<Prepared> rendered = runAll(overlays.stream()
        .<Callable<Prepared>>map(ref -> () -> prepare(ref, jail, remoteHosts, fingerprint, calls, hits))
        .toList());

    // Sites whose overlay output and declaration are unchanged since the last render are not stamped again.
    AtomicInteger stamped = new AtomicInteger();
    List<Callable<StampMemo.Stamped>> stamps = new ArrayList<>();
    for (int i = 0; i < overlays.size(); i++) {
      Prepared overlay = rendered.get(i);
      String key = overlays.get(i).key();
      for (Site site : plan.get(overlays.get(i))) {
        StampMemo.Stamped prior = memo.prior(key, overlay.inputHash(), site);
        stamps.add(() -> {
          if (prior != null) return prior;
          stamped.incrementAndGet();
          // Of a changed overlay output, only the objects whose text changed are stamped again.
          Map<String, RenderDigest> unchanged = memo.unchangedObjects(key, overlay.overlay(), site);
          List<RenderDigest> objects = new ArrayList<>(overlay.overlay().objects().size());
          RenderDigest digest = SiteStamper.digest(overlay.overlay(), site, revision, unchanged, objects);
          return new StampMemo.Stamped(site, digest, List.copyOf(objects));
        });
      }
    }
    List<StampMemo.Stamped> all = runAll(stamps);
    Map<String, Map<String, DesiredState>> states = new TreeMap<>();
    int next = 0;
    for (int i = 0; i < overlays.size(); i++) {
      List<Site> served = plan.get(overlays.get(i));
      List<StampMemo.Stamped> of = all.subList(next, next + served.size());
      next += served.size();
      RenderedOverlay overlay = rendered.get(i).overlay();
      memo.remember(overlays.get(i).key(), rendered.get(i).inputHash(), overlay, of);
      for (StampMemo.Stamped s : of) {
        states.computeIfAbsent(overlay.app(), a -> new TreeMap<>())
            .put(s.site().name(), lazyState(overlay, s.site(), revision, s.digest()));
      }
    }

    RenderStats stats = new RenderStats(overlays.size(), calls.get(), hits.get(), stamped.get(),
        Duration.ofNanos(System.nanoTime() - start));
    LOG.info("render {}: {} desired states of {} app(s) from {} overlays ({} kustomize builds, {} cache hits, {} sites"
        + " stamped) in {} ms", revision, stamps.size(), states.size(), stats.overlays(), stats.kustomizeCalls(),
        stats.cacheHits(), stats.stamped(), stats.elapsed().toMillis());
    return new RenderResult(states, stats);
  }

  /**
   * Renders every app for every site it targets and reports every failure, not the first: what
   * {@code flotilla validate --render} shows. Failures of the fleet repo become grouped problems
   * located at {@code file:line: field}; failures of the tools are kept apart.
   */
  public RenderCheck check(FleetModel model, Path root, String revision) {
    Map<OverlayRef, List<Site>> plan = plan(model, Set.of(), Set.of());
    RenderProblems problems = new RenderProblems(root.toAbsolutePath().normalize());
    String fingerprint;
    try {
      fingerprint = renderer.fingerprint();
    } catch (RenderException e) {
      problems.overlayFailed("", e, List.of());
      return new RenderCheck(0, problems.problems(), problems.toolFailures());
    }
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger hits = new AtomicInteger();
    List<OverlayRef> overlays = List.copyOf(plan.keySet());
    RepoJail jail;
    try {
      jail = RepoJail.of(root);
    } catch (IOException e) {
      problems.overlayFailed("", RenderException.couldNotRun("cannot read the fleet repo folder " + root, null, null, e), List.of());
      return new RenderCheck(0, problems.problems(), problems.toolFailures());
    }
    Set<String> remoteHosts = model.fleet().remoteHosts();
    List<Outcome<RenderedOverlay>> rendered = runEach(overlays.stream()
        .<Callable<RenderedOverlay>>map(ref -> () -> prepare(ref, jail, remoteHosts, fingerprint, calls, hits).overlay())
        .toList());
    List<Callable<DesiredState>> stamps = new ArrayList<>();
    List<Stamp> jobs = new ArrayList<>();
    for (int i = 0; i < overlays.size(); i++) {
      Outcome<RenderedOverlay> overlay = rendered.get(i);
      if (overlay.failure() != null) {
        problems.overlayFailed(overlays.get(i).path(), overlay.failure(), plan.get(overlays.get(i)));
        continue;
      }
      for (Site site : plan.get(overlays.get(i))) {
        stamps.add(() -> SiteStamper.stamp(overlay.value(), site, revision));
        jobs.add(new Stamp(overlay.value(), site));
      }
    }
    List<Outcome<DesiredState>> stamped = runEach(stamps);
    int ok = 0;
    for (int i = 0; i < stamped.size(); i++) {
      RenderException failure = stamped.get(i).failure();
      if (failure == null) {
        ok++;
      } else {
        problems.siteFailed(jobs.get(i).overlay(), jobs.get(i).site(), failure);
      }
    }
    return new RenderCheck(ok, problems.problems(), problems.toolFailures());
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** Which sites each overlay serves, overlays in (app, path) order and sites in name order. */
  private static Map<OverlayRef, List<Site>> plan(FleetModel model, Set<String> apps, Set<String> sites) {
    requireKnown("app", apps, model.apps().stream().map(App::name).collect(java.util.stream.Collectors.toSet()));
    requireKnown("site", sites, model.sites().stream().map(Site::name).collect(java.util.stream.Collectors.toSet()));
    Map<OverlayRef, List<Site>> plan = new TreeMap<>(OverlayRef.ORDER);
    for (App app : model.apps()) {
      if (!apps.isEmpty() && !apps.contains(app.name())) continue;
      for (Site site : model.targets(app)) {
        if (!sites.isEmpty() && !sites.contains(site.name())) continue;
        plan.computeIfAbsent(overlayOf(model, app, site), ref -> new ArrayList<>()).add(site);
      }
    }
    return plan;
  }

  private static OverlayRef overlayOf(FleetModel model, App app, Site site) {
    String path = model.hasSiteOverlay(app.name(), site.name())
        ? app.dir() + "/sites/" + site.name()
        : app.dir() + "/overlays/" + site.tier();
    return new OverlayRef(app.name(), path);
  }

  /** A set, not a list: with every site of a 10,000-site fleet wanted, a list lookup is quadratic. */
  private static void requireKnown(String what, Set<String> wanted, Set<String> known) {
    for (String name : wanted) {
      if (!known.contains(name)) throw new IllegalArgumentException("the fleet has no " + what + " '" + name + "'");
    }
  }

  /**
   * The overlay's output, from the cache or from kustomize. Its inputs are walked inside the repo's
   * jail first (a working tree may have changed since it was validated): anything that leaves the
   * repo is refused before kustomize runs. The jail's root is absolute: kustomize runs inside the
   * overlay folder, and a relative path would be resolved twice.
   */
  private Prepared prepare(OverlayRef ref, RepoJail jail, Set<String> remoteHosts, String fingerprint,
      AtomicInteger calls, AtomicInteger hits) throws RenderException {
    Path dir = jail.root().resolve(ref.path());
    if (!Files.isDirectory(dir)) {
      throw RenderException.missingOverlay(ref.app(), ref.path());
    }
    OverlayInputs.Result inputs = OverlayInputs.of(jail, dir, remoteHosts, limits);
    if (!inputs.problems().isEmpty()) throw RenderException.refusedInputs(ref.app(), ref.path(), inputs.problems());
    String hash;
    try {
      hash = InputTree.hash(inputs, fingerprint);
    } catch (IOException e) {
      throw RenderException.couldNotRun("cannot read the overlay's input files", ref.app(), ref.path(), e);
    }
    Optional<String> cached = cache.get(hash);
    String yaml;
    if (cached.isPresent()) {
      hits.incrementAndGet();
      yaml = cached.get();
    } else {
      calls.incrementAndGet();
      long t = System.nanoTime();
      yaml = renderer.build(dir, ref.app(), ref.path());
      LOG.debug("render {}: built in {} ms (inputs {})", ref.path(), (System.nanoTime() - t) / 1_000_000,
          hash.substring(0, 12));
      cache.put(hash, yaml);
    }
    return new Prepared(hash, RenderedOverlay.parse(ref.app(), ref.path(), yaml, limits));
  }

  private record Stamp(RenderedOverlay overlay, Site site) {}

  /** A state that stamps the site when its manifests are asked for: a render keeps no YAML. */
  private static DesiredState lazyState(RenderedOverlay overlay, Site site, String revision, RenderDigest digest) {
    return DesiredState.stamped(site.name(), overlay.app(), revision, rev -> {
      try {
        return SiteStamper.manifests(overlay, site, rev);
      } catch (RenderException e) {
        throw new IllegalStateException("site " + site.name() + " of app " + overlay.app()
            + " stamped at render but not now: " + e.getMessage(), e);
      }
    }, digest);
  }

  /** A task's result or its render failure. */
  private record Outcome<T>(T value, RenderException failure) {}

  /** Runs the tasks on the pool; each one's result or render failure, in task order. */
  private <T> List<Outcome<T>> runEach(List<Callable<T>> tasks) {
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) futures.add(pool.submit(task));
    List<Outcome<T>> outcomes = new ArrayList<>(tasks.size());
    for (Future<T> future : futures) {
      try {
        outcomes.add(new Outcome<>(future.get(), null));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RenderException r) outcomes.add(new Outcome<>(null, r));
        else collect(null, e.getCause());
      } catch (InterruptedException e) {
        futures.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        outcomes.add(new Outcome<>(null, new RenderException("interrupted while rendering", null, null, null, null)));
        return outcomes;
      }
    }
    return outcomes;
  }

  /** Runs the tasks on the pool; their results in task order, or the first failure in task order. */
  private <T> List<T> runAll(List<Callable<T>> tasks) throws RenderException {
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) futures.add(pool.submit(task));
    List<T> results = new ArrayList<>(tasks.size());
    RenderException first = null;
    try {
      for (Future<T> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          first = collect(first, e.getCause());
        }
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new RenderException("interrupted while rendering", null, null, null, null);
    }
    if (first != null) throw first;
    return results;
  }

  private static RenderException collect(RenderException first, Throwable failure) {
    if (failure instanceof RenderException r) {
      if (first == null) return r;
      if (first.getSuppressed().length < MAX_SUPPRESSED) first.addSuppressed(r);
      return first;
    }
    if (failure instanceof RuntimeException r) throw r;
    if (failure instanceof Error e) throw e;
    throw new IllegalStateException("a render task failed unexpectedly", failure);
  }

  private static ThreadFactory threadFactory() {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "flotilla-render-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
