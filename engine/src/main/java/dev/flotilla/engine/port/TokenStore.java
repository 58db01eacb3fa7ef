package dev.flotilla.engine.port;

import java.util.List;
import java.util.Optional;

/** The API's bearer tokens, by name and by the hash of their secret. */
public interface TokenStore {
  /** Stores a new token; false when a token of that name exists already (nothing is changed). */
  boolean add(AccessToken token) throws StoreException;

  /** The token whose secret hashes to {@code hash}. */
  Optional<AccessToken> byHash(String hash) throws StoreException;

  /** Every token, by name. */
  List<AccessToken> all() throws StoreException;

  /** Whether any token exists: once one does, the API requires one on every call. */
  boolean any() throws StoreException;

  /** Deletes the token of that name; false when there was none. */
  boolean remove(String name) throws StoreException;
}
