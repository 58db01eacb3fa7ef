package dev.flotilla.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rendered overlay output by the content hash of its inputs. Held in memory, and, when a cache
 * folder is given, as {@code <cacheDir>/render/<hash>.yaml} so the next process reuses it. Files
 * are written to a temporary name and moved into place, so a reader never sees half a file even
 * when several processes share the folder. The disk is an optimisation: if it fails, the render
 * still succeeds and a warning says why. Thread-safe.
 */
public final class RenderCache {
  private static final Logger LOG = LoggerFactory.getLogger(RenderCache.class);
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private final Map<String, String> memory = new ConcurrentHashMap<>();
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger misses = new AtomicInteger();

  private RenderCache(Path dir) {
    this.dir = dir;
  }

  public static RenderCache inMemory() {
    return new RenderCache(null);
  }

  /** A cache that also keeps its entries under {@code cacheDir/render/}. */
  public static RenderCache onDisk(Path cacheDir) {
    return new RenderCache(cacheDir.resolve("render"));
  }

  /** The output stored for {@code hash} (a SHA-256 in hex), counting a hit or a miss. */
  public Optional<String> get(String hash) {
    checkHash(hash);
    String yaml = memory.get(hash);
    if (yaml == null) yaml = readDisk(hash);
    if (yaml == null) {
      misses.incrementAndGet();
      return Optional.empty();
    }
    hits.incrementAndGet();
    return Optional.of(yaml);
  }

  public void put(String hash, String yaml) {
    checkHash(hash);
    memory.put(hash, yaml);
    if (dir != null) writeDisk(hash, yaml);
  }

  public int hits() {
    return hits.get();
  }

  public int misses() {
    return misses.get();
  }

  private String readDisk(String hash) {
    if (dir == null) return null;
    try {
      String yaml = Files.readString(file(hash), StandardCharsets.UTF_8);
      memory.put(hash, yaml);
      return yaml;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("render cache: cannot read {}, rendering again: {}", file(hash), e.toString());
      return null;
    }
  }

  private void writeDisk(String hash, String yaml) {
    Path target = file(hash);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, hash + ".", ".tmp");
      try {
        Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
        move(tmp, target);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      LOG.warn("render cache: cannot write {}, the next process will render again: {}", target, e.toString());
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path file(String hash) {
    return dir.resolve(hash + ".yaml");
  }

  private static void checkHash(String hash) {
    // The hash becomes a file name: refuse anything that could leave the cache folder.
    if (!HASH.matcher(hash).matches()) throw new IllegalArgumentException("not a SHA-256 hex digest: " + hash);
  }
}
