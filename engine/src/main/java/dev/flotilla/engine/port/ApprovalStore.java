package dev.flotilla.engine.port;

import java.util.List;

/** Approvals of waves by people; each actor approves a wave at most once. */
public interface ApprovalStore {
  /**
   * Records the approval in the caller's transaction; false when this actor had already approved
   * this wave (the first approval stands).
   */
  boolean add(UnitOfWork unit, Approval approval) throws StoreException;

  boolean add(Approval approval) throws StoreException;

  /** Every approval of the rollout, in the order they were given. */
  List<Approval> forRollout(String rolloutId) throws StoreException;
}
