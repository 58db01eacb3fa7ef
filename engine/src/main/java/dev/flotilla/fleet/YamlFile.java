package dev.flotilla.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The documents of one fleet repo YAML file as position-carrying node trees, read through the
 * repo's {@link RepoJail} within the {@link ReadLimits}. A file that cannot be read, or is not
 * YAML, becomes a problem naming the file and line, and no documents.
 */
final class YamlFile {
  private YamlFile() {}

  static List<Node> documents(RepoJail jail, ReadLimits limits, Path file, Problems problems) {
    String rel = jail.relative(file);
    try {
      return BoundedYaml.documents(rel, jail.readText(file, limits.maxFileBytes()), limits);
    } catch (RepoFileException e) {
      problems.add(e.file(), e.line(), "", e.reason());
    } catch (IOException e) {
      problems.add(rel, 0, "", "cannot read file: " + e.getMessage());
    }
    return List.of();
  }
}
