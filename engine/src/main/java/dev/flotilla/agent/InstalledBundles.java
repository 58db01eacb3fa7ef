package dev.flotilla.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Verified bundles on the agent's disk, per app: {@code apps/<app>/<sequence>/} holds the bundle's
 * manifest files, unpacked into a temporary folder and renamed into place whole; {@code
 * apps/<app>/good} names the last sequence that applied cleanly, which the agent goes back to when
 * an apply fails and re-applies when the cluster drifts. Only the installed and the good bundle are kept.
 */
final class InstalledBundles {
  private final Path root;

  InstalledBundles(Path stateDir) {
    this.root = stateDir.resolve("apps");
  }

  /** Unpacks {@code files} as {@code app}'s bundle {@code sequence}: all of it, or nothing. */
  void install(String app, long sequence, SortedMap<String, byte[]> files) throws AgentException {
    Path dir = root.resolve(app);
    Path target = dir.resolve(Long.toString(sequence));
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempDirectory(dir, ".unpacking-" + sequence + "-");
      for (var f : files.entrySet()) {
        Path file = tmp.resolve(f.getKey()).normalize();
        if (!file.startsWith(tmp)) throw new AgentException("bundle file " + f.getKey() + " escapes its folder"); // verified before; never trust twice
        Files.createDirectories(file.getParent());
        Files.write(file, f.getValue());
      }
      if (Files.exists(target)) delete(target); // a crash after the rename, before the state was recorded
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
    } catch (IOException e) {
      throw new AgentException("cannot install bundle " + sequence + " of " + app + " in " + target, e);
    }
  }

  /** The manifest files of an installed bundle. */
  SortedMap<String, byte[]> files(String app, long sequence) throws AgentException {
    Path dir = root.resolve(app).resolve(Long.toString(sequence));
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
      }
      return files;
    } catch (IOException e) {
      throw new AgentException("cannot read installed bundle " + dir, e);
    }
  }

  /** The last bundle of an app that applied cleanly. */
  record Good(long sequence, String revision) {}

  Optional<Good> good(String app) throws AgentException {
    Path file = root.resolve(app).resolve("good");
    try {
      String[] words = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
      if (words.length != 2) throw new AgentException("last good bundle file " + file + " is corrupt");
      return Optional.of(new Good(Long.parseLong(words[0]), words[1]));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      throw new AgentException("last good bundle file " + file + " is corrupt", e);
    }
  }

  /** Records {@code good} as the app's last good bundle and drops every other bundle. */
  void markGood(String app, Good good) throws AgentException {
    StateFiles.write(root.resolve(app).resolve("good"), (good.sequence() + " " + good.revision() + "\n").getBytes(StandardCharsets.UTF_8));
    keepOnly(app, good.sequence(), good.sequence());
  }

  /** The apps that have a bundle installed. */
  List<String> apps() throws AgentException {
    if (!Files.isDirectory(root)) return List.of();
    try (Stream<Path> all = Files.list(root)) {
      return all.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new AgentException("cannot list installed apps in " + root, e);
    }
  }

  void keepOnly(String app, long a, long b) throws AgentException {
    Path dir = root.resolve(app);
    try (Stream<Path> all = Files.list(dir)) {
      for (Path p : all.toList()) {
        String name = p.getFileName().toString();
        if (!Files.isDirectory(p) || name.equals(Long.toString(a)) || name.equals(Long.toString(b))) continue;
        delete(p);
      }
    } catch (IOException e) {
      throw new AgentException("cannot clean old bundles of " + app + " in " + dir, e);
    }
  }

  private static void delete(Path tree) throws IOException {
    Files.walkFileTree(tree, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
