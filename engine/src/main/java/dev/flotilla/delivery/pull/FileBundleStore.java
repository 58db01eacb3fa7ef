package dev.flotilla.delivery.pull;

import dev.flotilla.engine.port.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Bundles as files: {@code <root>/<site>/<app>/<sequence>.tar}, each written to a temporary file,
 * synced and renamed into place, so a reader never sees half a bundle. Site and app names are
 * DNS-style (the fleet model checks them), so they are safe as folder names.
 */
public final class FileBundleStore implements BundleStore {
  private final Path root;

  public FileBundleStore(Path root) {
    this.root = root;
  }

  @Override
  public void put(String site, String app, long sequence, byte[] tar) throws StoreException {
    Path target = file(site, app, sequence);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".publishing-", ".tmp");
      try {
        Files.write(tmp, tar);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new StoreException("write bundle " + target, e);
    }
  }

  @Override
  public Optional<byte[]> get(String site, String app, long sequence) throws StoreException {
    Path file = file(site, app, sequence);
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("read bundle " + file, e);
    }
  }

  @Override
  public void dropBelow(String site, String app, long sequence) throws StoreException {
    Path dir = root.resolve(site).resolve(app);
    if (!Files.isDirectory(dir)) return;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".tar")) continue;
        try {
          if (Long.parseLong(name.substring(0, name.length() - 4)) < sequence) Files.deleteIfExists(f);
        } catch (NumberFormatException ignored) {
          // not a bundle of this store: left alone
        }
      }
    } catch (IOException e) {
      throw new StoreException("drop old bundles of " + site + "/" + app + " in " + dir, e);
    }
  }

  private Path file(String site, String app, long sequence) {
    return root.resolve(site).resolve(app).resolve(sequence + ".tar");
  }
}
