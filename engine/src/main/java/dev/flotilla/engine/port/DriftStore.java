package dev.flotilla.engine.port;

import dev.flotilla.drift.SiteDrift;
import java.util.List;
import java.util.Optional;

/** What the last drift check found per site and app ({@code site_drift}), written by the drift checker and read by the views. */
public interface DriftStore {
  /** The recorded check of the app at the site, in the caller's transaction. */
  Optional<SiteDrift> get(UnitOfWork unit, String site, String app) throws StoreException;

  /** Records a check, replacing the one before, in the caller's transaction. */
  void put(UnitOfWork unit, SiteDrift drift) throws StoreException;

  /** The recorded checks of one app at every site, in one query (a rollout's view). */
  List<SiteDrift> of(String app) throws StoreException;

  /** Every recorded check, in one query. */
  List<SiteDrift> all() throws StoreException;
}
