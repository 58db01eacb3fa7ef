package dev.flotilla.api;

import java.util.List;

/**
 * What the API serves, as the engine provides it: rollouts and commands on them, sites, the audit
 * log. Errors meant for the client are {@link ApiException}s; anything else is a 500.
 */
public interface FleetOperations {
  List<RolloutView> list() throws Exception;

  RolloutView get(String id) throws Exception;

  RolloutView command(String id, String command, CommandRequest request) throws Exception;

  List<SiteView> sites() throws Exception;

  List<AuditView> audit(String rolloutId, int limit, long afterSeq) throws Exception;

  /** Asks the engine to sync the fleet repo now; returns the revision it follows afterwards. */
  String syncNow() throws Exception;

  /** The revision the engine follows and how the last sync went. */
  SyncView syncStatus() throws Exception;
}
