package dev.flotilla.engine;

import dev.flotilla.rollout.AuditEvent;
import dev.flotilla.rollout.PlannedSite;
import dev.flotilla.rollout.PlannedWave;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutAction;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.SiteProgress;
import dev.flotilla.rollout.SiteStatus;
import dev.flotilla.engine.port.AuditEntry;
import dev.flotilla.engine.port.DeliveryIntent;
import dev.flotilla.engine.port.AuditLog;
import dev.flotilla.engine.port.Outbox;
import dev.flotilla.engine.port.RolloutStore;
import dev.flotilla.engine.port.RolloutHead;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.Quarantined;
import dev.flotilla.engine.port.UnreadableRolloutException;
import dev.flotilla.engine.port.Transactions;
import dev.flotilla.engine.port.UnitOfWork;
import dev.flotilla.engine.port.VersionedRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rollouts in the store: every change is a compare-and-set on the rollout's version, written in
 * one transaction with the audit entries that explain it and the delivery intents it decided (the
 * outbox). A lost race writes nothing, so a transition (a wave promoted, a batch sent) is recorded
 * exactly once, and so is every decision to deliver.
 *
 * <p>The rollouts this process wrote or read last are kept by version: a pass reads only the
 * version column of every live rollout and loads a rollout's rows again only when another writer
 * (a command, another replica) changed it.
 */
public final class RolloutRepository {
  private final Transactions tx;
  private final RolloutStore store;
  private final AuditLog audit;
  private final Outbox outbox;
  private final Quarantine quarantine;
  private final Map<String, VersionedRollout> known = new ConcurrentHashMap<>();

  public RolloutRepository(Transactions tx, RolloutStore store, AuditLog audit, Outbox outbox, Quarantine quarantine) {
    this.quarantine = quarantine;
    this.tx = tx;
    this.store = store;
    this.audit = audit;
    this.outbox = outbox;
  }

  /** Where rollouts that cannot be read are set aside. */
  public Quarantine quarantine() {
    return quarantine;
  }

  Optional<VersionedRollout> get(String id) throws StoreException {
    Optional<VersionedRollout> loaded = store.get(id);
    loaded.ifPresent(v -> known.put(id, v));
    return loaded;
  }

  /** The rollout a head names, from memory when the version matches. */
  Optional<VersionedRollout> read(RolloutHead h) throws StoreException {
    VersionedRollout cached = known.get(h.id());
    if (cached != null && cached.version() == h.version()) return Optional.of(cached);
    return readOrQuarantine(h);
  }

  /**
   * The rollout, or empty when its stored form cannot be read: then it is quarantined (once) and
   * the caller goes on with the others. A rollout that reads again leaves the quarantine.
   */
  private Optional<VersionedRollout> readOrQuarantine(RolloutHead h) throws StoreException {
    try {
      Optional<VersionedRollout> v = store.get(h.id());
      if (v.isPresent()) quarantine.readable(Quarantined.ROLLOUT, h.id());
      return v;
    } catch (UnreadableRolloutException e) {
      quarantine.add(Quarantined.ROLLOUT, h.id(), Optional.ofNullable(h.app()), e.getMessage());
      return Optional.empty();
    }
  }

  /** Every rollout that is neither ended nor retired, oldest first: what a pass acts on and arranges. */
  public List<VersionedRollout> live() throws StoreException {
    List<RolloutHead> heads = store.live();
    Set<String> ids = new HashSet<>();
    List<VersionedRollout> out = new ArrayList<>();
    for (RolloutHead h : heads) {
      ids.add(h.id());
      VersionedRollout cached = known.get(h.id());
      if (cached != null && cached.version() == h.version()) {
        out.add(cached);
        continue;
      }
      readOrQuarantine(h).ifPresent(v -> {
        known.put(h.id(), v);
        out.add(v);
      });
    }
    known.keySet().retainAll(ids); // ended rollouts leave the cache with the pass that no longer sees them
    return out;
  }

  /** The apps of the live rollouts, from the last pass's view (the store when nothing was read yet). */
  public List<String> liveApps() throws StoreException {
    return live().stream().map(v -> v.rollout().app()).distinct().toList();
  }

  /** Inserts a new rollout unless one with its id exists; false when it existed. */
  boolean insert(Rollout r, List<AuditEvent> events, Instant now) throws StoreException {
    return tx.inTransaction("insert rollout " + r.id(), c -> {
      if (!store.insert(c, r, now)) return false;
      append(c, r.app(), events);
      return true;
    });
  }

  /**
   * Writes {@code next} over {@code before} if nobody changed it since, with its events, the
   * deliveries its actions decided, the rollbacks they start and what it now waits on (null: unchanged),
   * in one transaction; false when someone changed it first.
   */
  boolean update(VersionedRollout before, Rollout next, List<AuditEvent> events, List<RolloutAction> actions, String waitingOn,
      Instant now) throws StoreException {
    boolean written = tx.inTransaction("update rollout " + next.id(), c -> {
      if (!write(c, before, next, events, actions, now)) return false;
      if (waitingOn != null) store.waitingOn(c, next.id(), waitingOn.isEmpty() ? null : waitingOn);
      return true;
    });
    if (written) known.put(next.id(), new VersionedRollout(next, before.version() + 1));
    return written;
  }

  /** As {@link #update}, in the caller's transaction; the caller's commit makes it count. */
  boolean write(UnitOfWork c, VersionedRollout before, Rollout next, List<AuditEvent> events, List<RolloutAction> actions,
      Instant now) throws StoreException {
    if (!store.update(c, before.rollout(), before.version(), next, now)) return false;
    append(c, next.app(), events);
    outbox.add(c, intents(next, actions, now), now);
    cancelOvertaken(c, before.rollout(), next, now);
    insertAll(c, started(actions), now);
    return true;
  }

  /** A rollout that stopped delivering takes back what it decided and nobody carried out yet; so does a site that failed. */
  private void cancelOvertaken(UnitOfWork c, Rollout before, Rollout next, Instant now) throws StoreException {
    boolean stopped = next.state() == RolloutState.HALTED || next.state() == RolloutState.ROLLED_BACK
        || next.state() == RolloutState.ABORTED || next.state() == RolloutState.SUPERSEDED;
    if (stopped && before.state() != next.state()) {
      outbox.cancel(c, next.id(), null, now);
      return;
    }
    List<String> failed = new ArrayList<>();
    for (String site : next.sitesChangedSince(before).orElse(next.sites().keySet())) {
      SiteProgress after = next.sites().get(site);
      if (after == null || after.status() != SiteStatus.FAILED) continue;
      SiteProgress was = before.sites().get(site);
      if (was != null && was.status() != SiteStatus.FAILED) failed.add(site);
    }
    if (!failed.isEmpty()) outbox.cancel(c, next.id(), failed, now);
  }

  private static List<DeliveryIntent> intents(Rollout r, List<RolloutAction> actions, Instant now) {
    List<DeliveryIntent> out = new ArrayList<>();
    Map<String, PlannedSite> planned = null;
    for (RolloutAction a : actions) {
      if (!(a instanceof RolloutAction.UpdateSite u)) continue;
      if (planned == null) planned = plannedSites(r);
      PlannedSite site = planned.get(u.site());
      String delivery = site == null ? "push" : site.delivery().word();
      out.add(DeliveryIntent.decided(u.rolloutId(), u.wave(), u.site(), u.app(), u.revision(), delivery, now));
    }
    return out;
  }

  private static Map<String, PlannedSite> plannedSites(Rollout r) {
    Map<String, PlannedSite> out = new HashMap<>();
    for (PlannedWave w : r.plan().waves()) {
      for (PlannedSite s : w.sites()) out.put(s.site(), s);
    }
    return out;
  }

  /** Inserts rollouts that do not exist yet, in the caller's transaction. */
  void insertAll(UnitOfWork c, List<Rollout> rollouts, Instant now) throws StoreException {
    for (Rollout r : rollouts) {
      if (!store.insert(c, r, now)) continue;
      append(c, r.app(), List.of(new AuditEvent(now, AuditEvent.ENGINE, r.id(), "rollback",
          "rollback of " + r.app() + " to " + r.revision() + " for " + r.plan().siteNames().size() + " sites: " + r.reason())));
    }
  }

  /** The rollbacks a step or command starts. */
  static List<Rollout> started(List<RolloutAction> actions) {
    List<Rollout> out = new ArrayList<>();
    for (RolloutAction a : actions) {
      if (a instanceof RolloutAction.StartRollback start) out.add(start.rollback());
    }
    return out;
  }

  void append(UnitOfWork c, String app, List<AuditEvent> events) throws StoreException {
    audit.appendAll(c, events.stream()
        .map(e -> AuditEntry.forRollout(e.at(), e.actor(), e.rolloutId(), app, e.kind(), e.message())).toList());
  }

  RolloutStore store() {
    return store;
  }

  Transactions transactions() {
    return tx;
  }
}
