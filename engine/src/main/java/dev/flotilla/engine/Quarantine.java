package dev.flotilla.engine;

import dev.flotilla.engine.port.AuditEntry;
import dev.flotilla.engine.port.AuditLog;
import dev.flotilla.engine.port.QuarantineStore;
import dev.flotilla.engine.port.Quarantined;
import dev.flotilla.engine.port.StoreException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bad stored item stops one thing: an item the engine cannot use is set aside here (recorded,
 * audited and logged once), everything else goes on, and {@code /api/v1/health} says "degraded"
 * and names it until it is repaired.
 */
public final class Quarantine {
  private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

  private final QuarantineStore store;
  private final AuditLog audit;
  private final Clock clock;
  /** "kind id" of every item in quarantine, so that a pass learns cheaply that a repaired item is usable again. */
  private final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Quarantine(QuarantineStore store, AuditLog audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** Sets the item aside; the first time, with an audit entry and an error in the log. */
  public void add(String kind, String id, Optional<String> app, String reason) throws StoreException {
    Quarantined item = new Quarantined(kind, id, reason, clock.instant());
    held.add(kind + " " + id);
    if (!store.add(item)) return;
    LOG.error("quarantine: {} {} set aside, everything else goes on: {}", kind, id, item.reason());
    Optional<String> rolloutId = kind.equals(Quarantined.ROLLOUT) ? Optional.of(id) : Optional.empty();
    audit.append(new AuditEntry(item.at(), "engine", rolloutId, app, "quarantined", kind + " " + id + " set aside: " + item.reason(),
        Optional.empty()));
  }

  /** The item can be used again (repaired, or its cause gone). */
  public void release(String kind, String id) throws StoreException {
    if (store.remove(kind, id)) LOG.info("quarantine: {} {} usable again", kind, id);
    held.remove(kind + " " + id);
  }

  /** As {@link #release}, without a database call when the item was not held. */
  public void readable(String kind, String id) throws StoreException {
    if (held.contains(kind + " " + id)) release(kind, id);
  }

  /** Every item in quarantine, oldest first; also what {@link #readable} knows to be held. */
  public List<Quarantined> items() throws StoreException {
    List<Quarantined> all = store.all();
    all.forEach(q -> held.add(q.kind() + " " + q.id()));
    return all;
  }
}
