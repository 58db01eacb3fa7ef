package dev.flotilla.delivery.pull;

import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.KeyFile;
import dev.flotilla.bundle.SitePublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The sites' public X25519 keys, which Secrets in their bundles are sealed for. */
@FunctionalInterface
public interface SiteKeys {
  SiteKeys NONE = site -> Optional.empty();

  Optional<SitePublicKey> of(String site) throws BundleException;

  /** Public key files {@code <dir>/<site>.pub}, as {@code flotilla keys site} writes them. */
  static SiteKeys folder(Path dir) {
    return site -> {
      Path file = dir.resolve(site + ".pub");
      return Files.isRegularFile(file) ? Optional.of(KeyFile.readSitePublicKey(file)) : Optional.empty();
    };
  }
}
