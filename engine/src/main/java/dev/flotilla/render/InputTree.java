package dev.flotilla.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files an overlay's render depends on, and their content hash. Kustomize reads the overlay
 * folder and whatever its kustomization names (resources, bases, components, patch and generator
 * files), recursively. Rather than know every field of every kustomize version, every string value
 * of a kustomization that names an existing file or folder inside the repo is taken as an input:
 * a folder wholly (following its own kustomization, if any), a file by itself. That may take a file
 * too many, never one too few.
 */
final class InputTree {
  static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
  private static final ObjectMapper YAML = new YAMLMapper();

  private final Path root;
  private final Map<String, Path> files = new TreeMap<>();
  private final Set<Path> visited = new HashSet<>();

  private InputTree(Path root) {
    this.root = root;
  }

  /** The input files of the overlay in {@code overlayDir}, by path relative to {@code repoRoot}, sorted. */
  static Map<String, Path> of(Path repoRoot, Path overlayDir) throws IOException {
    InputTree tree = new InputTree(repoRoot.toAbsolutePath().normalize());
    tree.addKustomizationDir(overlayDir.toAbsolutePath().normalize());
    return tree.files;
  }

  /**
   * SHA-256 over {@code salt} (the renderer's fingerprint) and every input file's relative path
   * and bytes, in path order, each length-prefixed so no two trees can run together.
   */
  static String hash(Path repoRoot, Path overlayDir, String salt) throws IOException {
    MessageDigest digest = sha256();
    update(digest, salt.getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, Path> file : of(repoRoot, overlayDir).entrySet()) {
      update(digest, file.getKey().getBytes(StandardCharsets.UTF_8));
      update(digest, Files.readAllBytes(file.getValue()));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private void addKustomizationDir(Path dir) throws IOException {
    if (!visited.add(dir)) return; // a cycle, or a base shared by several references
    addDir(dir);
    for (String name : KUSTOMIZATION_FILES) {
      Path k = dir.resolve(name);
      if (Files.isRegularFile(k)) addReferences(dir, readQuietly(k));
    }
  }

  private void addReferences(Path dir, JsonNode node) throws IOException {
    if (node == null) return;
    if (node.isTextual()) {
      addReference(dir, node.asText());
    } else {
      for (JsonNode child : node) addReferences(dir, child);
    }
  }

  private void addReference(Path dir, String text) throws IOException {
    if (text.isEmpty() || text.contains("\n") || text.contains("://")) return;
    Path target;
    try {
      target = dir.resolve(text).normalize();
    } catch (InvalidPathException e) {
      return; // not a path at all, such as a name prefix with odd characters
    }
    if (!target.startsWith(root)) return;
    if (Files.isDirectory(target)) {
      addKustomizationDir(target);
    } else if (Files.isRegularFile(target)) {
      addFile(target);
    }
  }

  private void addDir(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p) && !isGitInternal(p)) addFile(p);
      }
    }
  }

  private void addFile(Path file) {
    String rel = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    files.put(rel, file);
  }

  private boolean isGitInternal(Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().equals(".git")) return true;
    }
    return false;
  }

  /**
   * A kustomization that is not valid YAML still counts as an input (its bytes are hashed), but
   * has no references; kustomize itself will report it when it builds.
   */
  private static JsonNode readQuietly(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      return null;
    }
  }

  private static void update(MessageDigest digest, byte[] bytes) {
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).array());
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
