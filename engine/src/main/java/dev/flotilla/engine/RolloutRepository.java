package dev.flotilla.engine;

import dev.flotilla.rollout.AuditEvent;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutAction;
import dev.flotilla.store.AuditEntry;
import dev.flotilla.store.JdbcAuditLog;
import dev.flotilla.store.JdbcRolloutStore;
import dev.flotilla.store.RolloutFilter;
import dev.flotilla.store.StoreException;
import dev.flotilla.store.StoredRollout;
import dev.flotilla.store.Transactions;
import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rollout snapshots in the store: every change is a compare-and-set on the rollout's version,
 * written in one transaction with the audit entries that explain it. A lost race writes nothing,
 * so a transition (a wave promoted, a batch sent) is recorded exactly once.
 */
public final class RolloutRepository {
  private final Transactions tx;
  private final JdbcRolloutStore store;
  private final JdbcAuditLog audit;

  /**
   * The last snapshot decoded or written per rollout, for the few rollouts touched most recently.
   * Decoding a 10,000-site body is most of a scheduling pass's CPU, and a pass reads the same
   * unchanged bodies several times (the pass, the redelivery, the API); a hit is a body equal to
   * the remembered one, so it is exactly what decoding would give.
   */
  private final Map<String, Loaded> decoded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
      return size() > DECODED_KEPT;
    }
  };

  private static final int DECODED_KEPT = 16;

  public RolloutRepository(Transactions tx, JdbcRolloutStore store, JdbcAuditLog audit) {
    this.tx = tx;
    this.store = store;
    this.audit = audit;
  }

  /** A stored rollout and its decoded snapshot. */
  record Loaded(StoredRollout stored, Rollout rollout) {}

  Optional<Loaded> get(String id) throws StoreException {
    return store.get(id).map(this::decode);
  }

  List<Loaded> list(RolloutFilter filter) throws StoreException {
    return store.list(filter).stream().map(this::decode).toList();
  }

  private Loaded decode(StoredRollout s) {
    synchronized (decoded) {
      Loaded known = decoded.get(s.id());
      if (known != null && known.stored().body().equals(s.body())) return new Loaded(s, known.rollout());
    }
    return remember(new Loaded(s, RolloutCodec.decode(s.id(), s.body())));
  }

  private Loaded remember(Loaded l) {
    synchronized (decoded) {
      decoded.put(l.stored().id(), l);
    }
    return l;
  }

  /** Inserts a new rollout unless one with its id exists; false when it existed. */
  boolean insert(Rollout r, List<AuditEvent> events, Instant now) throws StoreException {
    return tx.inTransaction("insert rollout " + r.id(), c -> {
      if (store.get(c, r.id()).isPresent()) return false;
      store.insert(c, new StoredRollout(r.id(), r.app(), r.revision(), r.kind().name(), r.state().name(), 1, now, now,
          RolloutCodec.encode(r)));
      append(c, r.app(), events);
      return true;
    });
  }

  /** Writes {@code next} over {@code loaded} if nobody changed it since; false when someone did. */
  boolean update(Loaded loaded, Rollout next, List<AuditEvent> events, Instant now) throws StoreException {
    return update(loaded, next, events, List.of(), now);
  }

  /**
   * Writes {@code next} and inserts {@code started} (the rollbacks it starts) in one transaction, so
   * a halted rollout is never stored without the rollback it decided on.
   */
  boolean update(Loaded loaded, Rollout next, List<AuditEvent> events, List<Rollout> started, Instant now) throws StoreException {
    return tx.inTransaction("update rollout " + next.id(), c -> {
      if (!write(c, loaded, next, events, now)) return false;
      insertAll(c, started, now);
      return true;
    });
  }

  /** Inserts rollouts that do not exist yet, in the caller's transaction. */
  void insertAll(Connection c, List<Rollout> rollouts, Instant now) throws StoreException {
    for (Rollout r : rollouts) {
      if (store.get(c, r.id()).isPresent()) continue;
      store.insert(c, new StoredRollout(r.id(), r.app(), r.revision(), r.kind().name(), r.state().name(), 1, now, now,
          RolloutCodec.encode(r)));
      append(c, r.app(), List.of(new AuditEvent(now, AuditEvent.ENGINE, r.id(), "rollback",
          "rollback of " + r.app() + " to " + r.revision() + " for " + r.plan().siteNames().size() + " sites: " + r.reason())));
    }
  }

  /** The rollbacks a step or command starts. */
  static List<Rollout> started(List<RolloutAction> actions) {
    return actions.stream().filter(a -> a instanceof RolloutAction.StartRollback)
        .map(a -> ((RolloutAction.StartRollback) a).rollback()).toList();
  }

  boolean write(Connection c, Loaded loaded, Rollout next, List<AuditEvent> events, Instant now) throws StoreException {
    StoredRollout written = loaded.stored().next(next.state().name(), RolloutCodec.encode(next), now);
    if (!store.update(c, written, loaded.stored().version())) return false;
    append(c, next.app(), events);
    // Remembered before the commit: if it rolls back, the stored body differs from this one and is decoded.
    remember(new Loaded(written, next));
    return true;
  }

  void append(Connection c, String app, List<AuditEvent> events) throws StoreException {
    audit.appendAll(c, events.stream()
        .map(e -> AuditEntry.forRollout(e.at(), e.actor(), e.rolloutId(), app, e.kind(), e.message())).toList());
  }

  Transactions transactions() {
    return tx;
  }
}
