package dev.flotilla.scaffold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Plans and writes the files of a template tree: every file is read and filled first, and only
 * then are the files written, so a bad template writes nothing. Placeholders are filled in both
 * relative paths and contents.
 */
final class TreeCopy {
  private final Map<Path, String> files = new LinkedHashMap<>();

  /** Adds every file under {@code source} to the plan, at the same relative path under {@code target}. */
  TreeCopy addTree(Path source, Path target, Placeholders placeholders) throws ScaffoldException {
    for (Path file : filesUnder(source)) {
      String relative = placeholders.fill(source.relativize(file).toString(), file);
      add(file, target.resolve(relative), placeholders);
    }
    return this;
  }

  /** Adds one file to the plan. */
  TreeCopy add(Path source, Path target, Placeholders placeholders) throws ScaffoldException {
    files.put(target, placeholders.fill(read(source), source));
    return this;
  }

  /** Adds literal text to the plan. */
  TreeCopy addText(Path target, String text) {
    files.put(target, text);
    return this;
  }

  Map<Path, String> planned() {
    return Map.copyOf(files);
  }

  /**
   * Writes the planned files, none of which may exist yet. On an I/O failure the files written so
   * far are removed again.
   */
  List<Path> write() throws ScaffoldException {
    for (Path target : files.keySet()) {
      if (Files.exists(target)) throw new ScaffoldException(target, "already exists; not overwriting it");
    }
    List<Path> written = new ArrayList<>();
    for (Map.Entry<Path, String> e : files.entrySet()) {
      try {
        Files.createDirectories(e.getKey().getParent());
        Files.writeString(e.getKey(), e.getValue(), StandardCharsets.UTF_8);
        written.add(e.getKey());
      } catch (IOException ex) {
        undo(written);
        throw new ScaffoldException(e.getKey(), "cannot write: " + ex.getMessage(), ex);
      }
    }
    return written;
  }

  private static void undo(List<Path> written) {
    for (Path p : written) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Best effort: the write error reported to the caller is the one that matters.
      }
    }
  }

  static List<Path> filesUnder(Path dir) throws ScaffoldException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new ScaffoldException(dir, "cannot read the template: " + e.getMessage(), e);
    }
  }

  private static String read(Path file) throws ScaffoldException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ScaffoldException(file, "cannot read the template: " + e.getMessage(), e);
    }
  }
}
