package dev.flotilla.scaffold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The few facts about an existing fleet repo that scaffolding checks against: its tiers with
 * their delivery mode, its policy names and whether a site name is taken. This is a light read
 * for good error messages, not the validator: {@code flotilla validate} remains the judge.
 */
final class FleetDeclarations {
  private final Path repo;

  FleetDeclarations(Path repo) {
    this.repo = repo;
  }

  /** Tier name to its delivery word ({@code push} or {@code pull}), in fleet order. */
  Map<String, String> tiers() throws ScaffoldException {
    Path file = repo.resolve("fleet.yaml");
    if (!Files.isRegularFile(file)) {
      throw new ScaffoldException(repo, "not a fleet repo: expected a fleet.yaml");
    }
    Object spec = child(firstDocument(file), "spec");
    Object tiers = child(spec, "tiers");
    if (!(tiers instanceof List<?> list)) {
      throw new ScaffoldException(file, "spec.tiers: expected a list of tiers");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Object tier : list) {
      Object name = child(tier, "name");
      Object delivery = child(tier, "delivery");
      if (name != null) out.put(name.toString(), delivery == null ? "" : delivery.toString());
    }
    return out;
  }

  /** Names of the RolloutPolicy documents under {@code policies/}. */
  List<String> policies() throws ScaffoldException {
    List<String> names = new ArrayList<>();
    for (Path file : yamlFiles(repo.resolve("policies"))) {
      for (Object doc : documents(file)) {
        if ("RolloutPolicy".equals(child(doc, "kind"))) {
          Object name = child(child(doc, "metadata"), "name");
          if (name != null) names.add(name.toString());
        }
      }
    }
    return names;
  }

  /**
   * The file under {@code sites/} that already declares {@code name}, if any. A textual check of
   * {@code name: <name>} lines, so one malformed site file does not stop a new site from being added.
   */
  Optional<Path> siteDeclaring(String name) throws ScaffoldException {
    Pattern line = Pattern.compile("(?m)^\\s*name:\\s*[\"']?" + Pattern.quote(name) + "[\"']?\\s*(#.*)?$");
    for (Path file : yamlFiles(repo.resolve("sites"))) {
      if (line.matcher(read(file)).find()) return Optional.of(file);
    }
    return Optional.empty();
  }

  private static List<Path> yamlFiles(Path dir) throws ScaffoldException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ScaffoldException(dir, "cannot list: " + e.getMessage(), e);
    }
  }

  private static Object firstDocument(Path file) throws ScaffoldException {
    List<Object> docs = documents(file);
    if (docs.isEmpty()) throw new ScaffoldException(file, "expected a YAML document, found none");
    return docs.get(0);
  }

  private static List<Object> documents(Path file) throws ScaffoldException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Object> docs = new ArrayList<>();
    try {
      for (Object doc : yaml.loadAll(read(file))) {
        if (doc != null) docs.add(doc);
      }
    } catch (YAMLException e) {
      throw new ScaffoldException(file, "not valid YAML: " + e.getMessage(), e);
    }
    return docs;
  }

  private static Object child(Object node, String key) {
    return node instanceof Map<?, ?> map ? map.get(key) : null;
  }

  private static String read(Path file) throws ScaffoldException {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ScaffoldException(file, "cannot read: " + e.getMessage(), e);
    }
  }
}
