package dev.flotilla.engine;

import dev.flotilla.engine.port.Quarantined;
import dev.flotilla.engine.view.AuditView;
import dev.flotilla.engine.view.HealthView;
import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.SiteView;
import dev.flotilla.engine.view.SyncView;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.engine.port.StoreException;
import java.util.List;

/**
 * The engine's service, as people reach it through the API or the CLI: rollouts and commands on
 * them, sites, the audit log, the fleet repo's sync. A request the engine refuses is an {@link
 * EngineException}; the other exceptions are failures of the engine's parts.
 */
public interface FleetOperations {
  /** The newest rollouts first, {@code limit} of them after skipping {@code offset}: ended ones stay readable page by page. */
  List<RolloutView> list(int offset, int limit) throws StoreException, BadRequestException;

  /** The first page of {@link #list(int, int)}: the {@value #PAGE} newest rollouts. */
  default List<RolloutView> list() throws StoreException {
    try {
      return list(0, PAGE);
    } catch (BadRequestException e) {
      throw new IllegalStateException("the default page is valid", e);
    }
  }

  int PAGE = 100;
  int MAX_PAGE = 500;

  RolloutView get(String id) throws EngineException, StoreException;

  RolloutView command(String id, String command, CommandRequest request)
      throws EngineException, StoreException, SchedulingException;

  List<SiteView> sites() throws StoreException, GitSyncException, FleetValidationException;

  /** Up to {@code limit} (1..{@value #MAX_AUDIT_PAGE}) audit entries after sequence number {@code afterSeq}, oldest first. */
  List<AuditView> audit(String rolloutId, int limit, long afterSeq) throws StoreException, BadRequestException;

  int MAX_AUDIT_PAGE = 1000;

  /** Asks the engine to sync the fleet repo now; returns the revision it follows afterwards. */
  String syncNow() throws StoreException, GitSyncException, FleetValidationException, SchedulingException;

  /**
   * The revision the engine follows, how the last sync went, and up to {@code limit}
   * (1..{@value #MAX_SYNC_ATTEMPTS}) of the most recent attempts, newest first.
   */
  SyncView syncStatus(int limit) throws StoreException, BadRequestException;

  /** {@link #syncStatus(int)} with the {@value #SYNC_ATTEMPTS} most recent attempts. */
  default SyncView syncStatus() throws StoreException {
    try {
      return syncStatus(SYNC_ATTEMPTS);
    } catch (BadRequestException e) {
      throw new IllegalStateException("the default number of attempts is valid", e);
    }
  }

  int SYNC_ATTEMPTS = 20;
  /** As many as the store keeps. */
  int MAX_SYNC_ATTEMPTS = dev.flotilla.engine.port.SyncAttemptStore.KEEP;

  /** The releases of one app, first seen first, with the reason of each that failed (a render error). */
  default List<dev.flotilla.engine.view.ReleaseView> releases(String app) throws StoreException, BadRequestException {
    return List.of();
  }

  /** "ok", or "degraded" naming the stored items in quarantine. */
  default HealthView health() throws StoreException {
    return HealthView.OK;
  }

  /** The stored items set aside because the engine cannot use them. */
  default List<Quarantined> quarantined() throws StoreException {
    return List.of();
  }
}
