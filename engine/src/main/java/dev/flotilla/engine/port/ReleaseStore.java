package dev.flotilla.engine.port;

import java.util.List;
import java.util.Optional;

/** Releases (one app at one revision) as the fleet sync found them. */
public interface ReleaseStore {
  /** Records a release the first time it is seen; false (and nothing changes) when it is known. */
  boolean recordIfNew(UnitOfWork unit, StoredRelease release) throws StoreException;

  boolean recordIfNew(StoredRelease release) throws StoreException;

  /** Sets the state and error of a known release; false when there is no such release. */
  boolean setState(UnitOfWork unit, String app, String revision, String state, Optional<String> error) throws StoreException;

  boolean setState(String app, String revision, String state, Optional<String> error) throws StoreException;

  Optional<StoredRelease> get(String app, String revision) throws StoreException;

  /** Releases of one app, first seen first. */
  List<StoredRelease> forApp(String app) throws StoreException;
}
