package dev.flotilla.fleet;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The documents of one YAML file as position-carrying node trees (SnakeYAML's composer), so that
 * every later problem can name its line. A syntax error becomes a problem, and the documents
 * before it are still returned.
 */
final class YamlFile {
  private YamlFile() {}

  static List<Node> documents(Path root, Path file, Problems problems) {
    String rel = relative(root, file);
    List<Node> docs = new ArrayList<>();
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // Fields reports duplicates with their line
    options.setCodePointLimit(64 * 1024 * 1024);
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (Node doc : new Yaml(options).composeAll(reader)) {
        // An empty document (a stray or trailing "---") is skipped, as kubectl does.
        boolean empty = doc == null || (doc instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
        if (!empty) docs.add(doc);
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      problems.add(rel, line, "", "YAML syntax error: " + what.trim());
    } catch (YAMLException e) {
      problems.add(rel, 0, "", "YAML error: " + e.getMessage());
    } catch (IOException e) {
      problems.add(rel, 0, "", "cannot read file: " + e.getMessage());
    }
    return docs;
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }
}
