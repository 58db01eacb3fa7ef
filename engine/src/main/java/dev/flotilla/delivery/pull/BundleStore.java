package dev.flotilla.delivery.pull;

import dev.flotilla.engine.port.StoreException;
import java.util.Optional;

/**
 * Where published bundles live, in their {@code .tar} form, one per (site, app, sequence): the
 * data folder ({@link FileBundleStore}) for one engine, the database when replicas share one.
 * A bundle is written before its target points to it, so every target can be served.
 */
public interface BundleStore {
  void put(String site, String app, long sequence, byte[] tar) throws StoreException;

  Optional<byte[]> get(String site, String app, long sequence) throws StoreException;

  /** Forgets the bundles of (site, app) below {@code sequence}: only the current one is served. */
  void dropBelow(String site, String app, long sequence) throws StoreException;
}
