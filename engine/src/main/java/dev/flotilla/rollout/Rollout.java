package dev.flotilla.rollout;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Optional;

/**
 * The promotion of one release (app, revision) through the waves of its frozen plan: an immutable
 * snapshot that the engine stores (as JSON, with an optimistic version) between steps. {@code
 * lastGoodRevision} is what a rollback returns to (null when there is none); {@code rollbackId}
 * names the rollback this rollout started, if any; {@code haltedAt} stays set once it halted.
 * {@code retiredAt} is when a newer release took over the app: a completed or halted rollout keeps
 * its state for history (terminal states never change) but no longer acts.
 */
public record Rollout(
    String id,
    String app,
    String revision,
    String lastGoodRevision,
    RolloutKind kind,
    RolloutState state,
    String reason,
    RolloutPlan plan,
    int currentWave,
    List<WaveProgress> waves,
    Map<String, SiteProgress> sites,
    Instant createdAt,
    Instant haltedAt,
    String rollbackId,
    Instant retiredAt) {

  public Rollout {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(createdAt, "createdAt");
    reason = reason == null ? "" : reason;
    waves = List.copyOf(waves);
    // A hash map: a pass looks every site of a 10,000-site rollout up several times; order is imposed where shown.
    // A map this class made is taken as it is: copying 10,000 entries for every changed field of a step was most of a pass.
    sites = sites instanceof SiteMap ? sites : new SiteMap(new HashMap<>(sites));
    if (waves.size() != plan.waves().size()) {
      throw new IllegalArgumentException("rollout " + id + ": " + waves.size() + " wave progresses for " + plan.waves().size() + " waves");
    }
    if (currentWave < 0 || currentWave >= waves.size()) {
      throw new IllegalArgumentException("rollout " + id + ": current wave " + currentWave + " out of range");
    }
  }

  /** A release waiting to start; {@link Supersession} starts it when the app has no running rollout. */
  public static Rollout queued(String id, String app, String revision, String lastGoodRevision, RolloutPlan plan, Instant now) {
    return fresh(id, app, revision, lastGoodRevision, RolloutKind.RELEASE, RolloutState.QUEUED, "", plan, now);
  }

  /** A release that waits for a person's approval, such as a force push; {@code approve} queues it. */
  public static Rollout held(String id, String app, String revision, String lastGoodRevision, RolloutPlan plan, String reason, Instant now) {
    return fresh(id, app, revision, lastGoodRevision, RolloutKind.RELEASE, RolloutState.HELD, reason, plan, now);
  }

  static Rollout fresh(
      String id, String app, String revision, String lastGood, RolloutKind kind, RolloutState state, String reason, RolloutPlan plan, Instant now) {
    List<WaveProgress> waves = plan.waves().stream().map(w -> WaveProgress.PENDING).toList();
    Map<String, SiteProgress> sites = new HashMap<>();
    plan.siteNames().forEach(s -> sites.put(s, SiteProgress.PENDING));
    return new Rollout(id, app, revision, lastGood, kind, state, reason, plan, 0, waves, sites, now, null, null, null);
  }

  public WaveProgress wave(int index) {
    return waves.get(index);
  }

  public SiteProgress site(String name) {
    return sites.getOrDefault(name, SiteProgress.PENDING);
  }

  /** The sites that got this release (it was sent to them), in name order. */
  public List<String> sitesThatGotIt() {
    return sites.entrySet().stream().filter(e -> e.getValue().status().sent()).map(Map.Entry::getKey).sorted().toList();
  }

  /** Whether the engine still steps it: running, paused, or completed and still the app's newest (it updates joining sites). */
  public boolean acting() {
    return switch (state) {
      case RUNNING, PAUSED -> true;
      case COMPLETED -> retiredAt == null;
      case HELD, QUEUED, HALTED, ROLLED_BACK, ABORTED, SUPERSEDED -> false;
    };
  }

  /** The rollout, its state unchanged, no longer acting because a newer release of the app took over. */
  Rollout retired(Instant at) {
    return new Rollout(id, app, revision, lastGoodRevision, kind, state, reason, plan, currentWave, waves, sites, createdAt, haltedAt, rollbackId, at);
  }

  /** The rollout with {@code revision} as the one a rollback returns to. */
  public Rollout withLastGoodRevision(String newLastGood) {
    return new Rollout(id, app, revision, newLastGood, kind, state, reason, plan, currentWave, waves, sites, createdAt, haltedAt, rollbackId, retiredAt);
  }

  public Rollout withState(RolloutState newState, String newReason) {
    return new Rollout(id, app, revision, lastGoodRevision, kind, newState, newReason, plan, currentWave, waves, sites, createdAt, haltedAt, rollbackId, retiredAt);
  }

  Rollout halted(String why, Instant at) {
    return new Rollout(id, app, revision, lastGoodRevision, kind, RolloutState.HALTED, why, plan, currentWave, waves, sites, createdAt, at, rollbackId, retiredAt);
  }

  Rollout withRollbackId(String newRollbackId) {
    return new Rollout(id, app, revision, lastGoodRevision, kind, state, reason, plan, currentWave, waves, sites, createdAt, haltedAt, newRollbackId, retiredAt);
  }

  Rollout withCurrentWave(int index) {
    return new Rollout(id, app, revision, lastGoodRevision, kind, state, reason, plan, index, waves, sites, createdAt, haltedAt, rollbackId, retiredAt);
  }

  Rollout withWave(int index, WaveProgress progress) {
    List<WaveProgress> copy = new ArrayList<>(waves);
    copy.set(index, progress);
    return new Rollout(id, app, revision, lastGoodRevision, kind, state, reason, plan, currentWave, copy, sites, createdAt, haltedAt, rollbackId, retiredAt);
  }

  /**
   * The rollout with every site of {@code changes} set to its new progress: one copy of the site
   * map for a whole batch or a pass's observations, where a copy per site would copy the map
   * once per changed site (10,000 sites, hundreds of changes a pass).
   */
  Rollout withSites(Map<String, SiteProgress> changes) {
    if (changes.isEmpty()) return this;
    return new Rollout(id, app, revision, lastGoodRevision, kind, state, reason, plan, currentWave, waves, ((SiteMap) sites).with(changes),
        createdAt, haltedAt, rollbackId, retiredAt);
  }

  /** Counts of the sites of each wave by status, kept up to date from step to step. */
  WaveTally tally() {
    return ((SiteMap) sites).tally(plan);
  }

  /**
   * The sites whose progress may differ between {@code earlier} and this snapshot, when the steps
   * between them say so cheaply (a superset: check each); empty when only comparing every site can
   * tell, for example across a plan change or a snapshot read from the store.
   */
  public Optional<Set<String>> sitesChangedSince(Rollout earlier) {
    SiteMap now = (SiteMap) sites;
    SiteMap then = (SiteMap) earlier.sites;
    if (now == then) return Optional.of(Set.of());
    if (now.base == null) return Optional.empty();
    if (now.base == then.token) return Optional.of(now.changedSinceBase);
    if (now.base == then.base) {
      Set<String> either = new HashSet<>(then.changedSinceBase);
      either.addAll(now.changedSinceBase);
      return Optional.of(either);
    }
    return Optional.empty();
  }

  Rollout withPlan(RolloutPlan newPlan) {
    Map<String, SiteProgress> copy = new HashMap<>();
    newPlan.siteNames().forEach(s -> copy.put(s, site(s)));
    return new Rollout(id, app, revision, lastGoodRevision, kind, state, reason, newPlan, currentWave, waves, new SiteMap(copy), createdAt, haltedAt, rollbackId, retiredAt);
  }

  /**
   * The site map a rollout owns: read-only, and made only here from a fresh map nobody else holds,
   * so snapshots that differ in other fields share it safely.
   */
  private static final class SiteMap extends AbstractMap<String, SiteProgress> {
    private final Map<String, SiteProgress> map;
    /** Names this map; a token rather than the map, so a later map does not keep an earlier one alive. */
    private final Object token = new Object();
    /** The token of the map {@link #changedSinceBase} counts from, or null when that is not known. */
    private final Object base;
    private final Set<String> changedSinceBase;
    /** Counts by wave and status, made when first asked for and carried to the maps made from this one. */
    private volatile WaveTally tally;

    SiteMap(Map<String, SiteProgress> map) {
      this(map, null, Set.of());
    }

    private SiteMap(Map<String, SiteProgress> map, Object base, Set<String> changedSinceBase) {
      this.map = map;
      this.base = base;
      this.changedSinceBase = changedSinceBase;
    }

    /**
     * A copy with {@code changes}, remembering which sites changed since a base: the steps of a few
     * passes share one base, so the store writes and checks only those sites; a base that gathered
     * too many changes is replaced by this map.
     */
    SiteMap with(Map<String, SiteProgress> changes) {
      Map<String, SiteProgress> copy = new HashMap<>(map);
      copy.putAll(changes);
      SiteMap next;
      if (base != null && changedSinceBase.size() + changes.size() <= Math.max(64, map.size() / 8)) {
        Set<String> since = new HashSet<>(changedSinceBase);
        since.addAll(changes.keySet());
        next = new SiteMap(copy, base, Collections.unmodifiableSet(since));
      } else {
        next = new SiteMap(copy, token, Set.copyOf(changes.keySet()));
      }
      WaveTally counted = tally;
      if (counted != null) next.tally = counted.with(map, changes);
      return next;
    }

    WaveTally tally(RolloutPlan plan) {
      WaveTally counted = tally;
      if (counted == null || counted.plan != plan) {
        counted = WaveTally.count(plan, map);
        tally = counted;
      }
      return counted;
    }

    @Override
    public Set<Entry<String, SiteProgress>> entrySet() {
      return Collections.unmodifiableMap(map).entrySet();
    }

    @Override
    public SiteProgress get(Object key) {
      return map.get(key);
    }

    @Override
    public SiteProgress getOrDefault(Object key, SiteProgress fallback) {
      return map.getOrDefault(key, fallback);
    }

    @Override
    public boolean containsKey(Object key) {
      return map.containsKey(key);
    }

    @Override
    public int size() {
      return map.size();
    }
  }
}
