package dev.flotilla.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Manifests from disk for a bundle: one YAML file (kept under its own name) or every regular file of a folder. */
public final class ManifestFiles {
  private ManifestFiles() {}

  public static SortedMap<String, byte[]> read(Path fileOrFolder) throws BundleException {
    SortedMap<String, byte[]> files = new TreeMap<>();
    try {
      if (Files.isRegularFile(fileOrFolder)) {
        files.put(checked(fileOrFolder.getFileName().toString(), fileOrFolder), Files.readAllBytes(fileOrFolder));
        return files;
      }
      if (!Files.isDirectory(fileOrFolder)) throw new BundleException("no manifests at " + fileOrFolder);
      try (Stream<Path> all = Files.walk(fileOrFolder)) {
        for (Path f : all.filter(Files::isRegularFile).toList()) {
          String name = fileOrFolder.relativize(f).toString().replace('\\', '/');
          files.put(checked(name, f), Files.readAllBytes(f));
        }
      }
    } catch (IOException e) {
      throw new BundleException("cannot read manifests " + fileOrFolder, e);
    }
    if (files.isEmpty()) throw new BundleException("no manifest files in " + fileOrFolder);
    return files;
  }

  private static String checked(String name, Path file) throws BundleException {
    if (!ArchivePath.isSafe(name)) {
      throw new BundleException(file + ": '" + name + "' cannot be a bundle path (letters, digits, '.', '_', '-', '/' only, at most 100 bytes)");
    }
    return name;
  }
}
