package dev.flotilla.engine.port;

import java.util.List;

/** The append-only audit log: who did what, when, to which rollout or app. */
public interface AuditLog {
  /**
   * Appends entries in order, in the caller's transaction: a scheduling pass that sends a batch of
   * hundreds of sites writes their entries together.
   */
  void appendAll(UnitOfWork unit, List<AuditEntry> entries) throws StoreException;

  /** Appends in the caller's transaction; returns the entry's sequence number. */
  long append(UnitOfWork unit, AuditEntry entry) throws StoreException;

  /** Appends in a transaction of its own. */
  long append(AuditEntry entry) throws StoreException;

  /**
   * Up to {@code limit} entries matching the filter with a sequence number above {@code afterSeq},
   * oldest first; pass the last one's {@code seq} to read the next page (0 to start).
   */
  List<AuditRecord> list(AuditFilter filter, int limit, long afterSeq) throws StoreException;
}
