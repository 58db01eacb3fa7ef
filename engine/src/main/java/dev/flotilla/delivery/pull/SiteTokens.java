package dev.flotilla.delivery.pull;

import dev.flotilla.engine.port.StoreException;
import java.util.Optional;

/** The sites' tokens, stored as SHA-256 hashes: a site's new token replaces its old one. */
public interface SiteTokens {
  void put(String site, String tokenSha256) throws StoreException;

  /** The site a token hash belongs to. */
  Optional<String> siteOf(String tokenSha256) throws StoreException;
}
