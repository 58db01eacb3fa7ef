package dev.flotilla.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Everything kustomize reads to build one overlay, found by walking its kustomization and what it
 * names, recursively, inside the repo's {@link RepoJail}. The walk both judges and collects:
 *
 * <ul>
 *   <li>every path field kustomize reads ({@code resources}, {@code components}, patch and
 *       generator files, …) must stay inside the repo after links and be relative; an entry that
 *       climbs out, is absolute or leads out through a link is a {@link Problem} at the
 *       kustomization's file and the entry's line;
 *   <li>a remote resource must pass {@link RemoteResources#whyRefused} (allowed host, pinned
 *       commit); an allowed one is listed in {@link Result#remotes()};
 *   <li>a link in an input folder that leads out of the repo is a problem naming it;
 *   <li>the input files are the walked folders wholly plus every file named, and any other string
 *       of a kustomization that names an existing path inside the repo: a file too many, never one
 *       too few, so the render cache key covers every input.
 * </ul>
 */
public final class OverlayInputs {
  public static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /** The fields whose strings kustomize reads as paths (or remote URLs), by dotted path with [i] indexes. */
  private static final Pattern PATH_FIELD = Pattern.compile(
      "(resources|bases|components|crds|configurations|generators|transformers|validators|patchesStrategicMerge)\\[\\d+]"
          + "|(patches|patchesJson6902|replacements)\\[\\d+]\\.path"
          + "|openapi\\.path"
          + "|(configMapGenerator|secretGenerator)\\[\\d+]\\.(files\\[\\d+]|envs\\[\\d+]|env)"
          + "|helmGlobals\\.chartHome"
          + "|helmCharts\\[\\d+]\\.(valuesFile|additionalValuesFiles\\[\\d+])"
          + "|helmChartInflationGenerator\\[\\d+]\\.(chartHome|values)");
  private static final Pattern GENERATOR_FILE = Pattern.compile("(configMapGenerator|secretGenerator)\\[\\d+]\\.files\\[\\d+]");

  /**
   * @param files the input files by path relative to the repo root, sorted, each with the path to read it at
   * @param remotes the allowed remote resources the overlay names, sorted
   * @param problems what the walk refused, in the order met
   */
  public record Result(Map<String, Path> files, Set<String> remotes, List<Problem> problems) {
    public Result {
      files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
      remotes = java.util.Collections.unmodifiableSet(new TreeSet<>(remotes));
      problems = List.copyOf(problems);
    }
  }

  private final RepoJail jail;
  private final Set<String> allowedHosts;
  private final ReadLimits limits;
  private final Map<String, Path> files = new TreeMap<>();
  private final Set<String> remotes = new TreeSet<>();
  private final List<Problem> problems = new ArrayList<>();
  private final Set<Path> visited = new HashSet<>();

  private OverlayInputs(RepoJail jail, Set<String> allowedHosts, ReadLimits limits) {
    this.jail = jail;
    this.allowedHosts = allowedHosts;
    this.limits = limits;
  }

  /** Walks the overlay in {@code overlayDir} (a folder of the repo {@code jail} guards). */
  public static Result of(RepoJail jail, Path overlayDir, Set<String> allowedHosts, ReadLimits limits) {
    OverlayInputs walk = new OverlayInputs(jail, allowedHosts, limits);
    Path dir = overlayDir.toAbsolutePath().normalize();
    String outside = jail.whyOutside(dir);
    if (outside != null) {
      walk.problems.add(new Problem(jail.relative(dir), 0, "", outside + ": not read"));
    } else {
      walk.addKustomizationDir(dir);
    }
    return new Result(walk.files, walk.remotes, walk.problems);
  }

  private void addKustomizationDir(Path dir) {
    if (!visited.add(dir)) return; // a cycle, or a base shared by several references
    addDir(dir);
    for (String name : KUSTOMIZATION_FILES) {
      Path k = dir.resolve(name);
      if (Files.exists(k, LinkOption.NOFOLLOW_LINKS)) addReferences(dir, k);
    }
  }

  private void addDir(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (isGitInternal(p)) continue;
        if (Files.isSymbolicLink(p)) {
          String outside = jail.whyOutside(p);
          if (outside != null) {
            problems.add(new Problem(jail.relative(p), 0, "", outside + ": not read"));
          } else if (Files.isRegularFile(p)) {
            addFile(p);
          }
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          addFile(p);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      problems.add(new Problem(jail.relative(dir), 0, "", "cannot list the folder: " + e.getMessage()));
    }
  }

  private void addReferences(Path dir, Path kustomization) {
    String rel = jail.relative(kustomization);
    List<Node> docs;
    try {
      docs = BoundedYaml.documents(rel, jail.readText(kustomization, limits.maxFileBytes()), limits);
    } catch (RepoFileException e) {
      problems.add(new Problem(e.file(), e.line(), "", e.reason()));
      return;
    } catch (IOException e) {
      problems.add(new Problem(rel, 0, "", "cannot read file: " + e.getMessage()));
      return;
    }
    for (Node doc : docs) scan(dir, rel, doc, "");
  }

  private void scan(Path dir, String file, Node node, String field) {
    if (node instanceof ScalarNode s) {
      reference(dir, file, line(s), field, s.getValue());
    } else if (node instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) scan(dir, file, items.get(i), field + "[" + i + "]");
    } else if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
        scan(dir, file, t.getValueNode(), field.isEmpty() ? key : field + "." + key);
      }
    }
  }

  private void reference(Path dir, String file, int line, String field, String value) {
    boolean pathField = PATH_FIELD.matcher(field).matches();
    String text = pathField && GENERATOR_FILE.matcher(field).matches() && value.contains("=")
        ? value.substring(value.indexOf('=') + 1) : value;
    if (text.isBlank() || text.contains("\n")) return; // an inline patch or config, not a path
    if (RemoteResources.looksRemote(text)) {
      if (!pathField) return;
      String refused = RemoteResources.whyRefused(text, allowedHosts);
      if (refused == null) {
        remotes.add(text.trim());
      } else {
        problems.add(new Problem(file, line, field, "'" + Names.shorten(text) + "' " + refused));
      }
      return;
    }
    Path target;
    try {
      Path given = dir.getFileSystem().getPath(text);
      if (given.isAbsolute()) {
        if (pathField) {
          problems.add(new Problem(file, line, field, "'" + Names.shorten(text) + "' is an absolute path: paths in a"
              + " kustomization are relative to its folder and stay inside the fleet repo"));
        }
        return;
      }
      target = dir.resolve(given).normalize();
    } catch (InvalidPathException e) {
      return; // not a path at all, such as a name prefix with odd characters
    }
    String outside = target.startsWith(jail.root()) ? jail.whyOutside(target) : "climbs out of the fleet repo";
    if (outside != null) {
      if (pathField) problems.add(new Problem(file, line, field, "'" + Names.shorten(text) + "' " + outside));
      return;
    }
    if (Files.isDirectory(target)) {
      addKustomizationDir(target);
    } else if (Files.isRegularFile(target)) {
      addFile(target);
    }
  }

  /** An input file; one larger than the file limit is refused here, before kustomize parses it. */
  private void addFile(Path file) {
    String rel = jail.relative(file);
    try {
      long size = Files.size(file);
      if (size > limits.maxFileBytes()) {
        problems.add(new Problem(rel, 0, "", "is " + ByteSize.format(size) + ", larger than the limit of "
            + ByteSize.format(limits.maxFileBytes()) + " per file (" + ReadLimits.FILE_ENV + "): not rendered"));
        return;
      }
    } catch (IOException e) {
      problems.add(new Problem(rel, 0, "", "cannot read file: " + e.getMessage()));
      return;
    }
    files.put(rel, file);
  }

  private boolean isGitInternal(Path p) {
    Path rel = jail.root().relativize(p.toAbsolutePath().normalize());
    for (Path part : rel) {
      if (part.toString().equals(".git")) return true;
    }
    return false;
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }
}
