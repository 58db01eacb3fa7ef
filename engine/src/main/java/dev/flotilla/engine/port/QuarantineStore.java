package dev.flotilla.engine.port;

import java.util.List;

/** The stored items the engine has set aside (see {@link Quarantined}). */
public interface QuarantineStore {
  /** Records the item unless it is recorded already; true when it is new. */
  boolean add(Quarantined item) throws StoreException;

  /** Takes the item out of quarantine (it could be used again); true when it was in. */
  boolean remove(String kind, String id) throws StoreException;

  /** Every item in quarantine, oldest first. */
  List<Quarantined> all() throws StoreException;
}
