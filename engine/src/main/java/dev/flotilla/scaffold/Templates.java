package dev.flotilla.scaffold;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The templates folder on disk: the fleet templates ({@code four-tier/}, {@code two-tier/}, any
 * sub-folder holding a {@code fleet.yaml}) and the {@code new/} templates for one site or app.
 *
 * <p>It is looked up in this order: an explicit path, the environment variable {@value #ENV},
 * {@code <folder of the running jar>/../../templates} (the jar is built to {@code
 * engine/target/flotilla.jar} inside the project), and {@code ./templates}. An explicit path or
 * the environment variable, when given, must be right: a wrong one fails instead of falling back,
 * so that a typo never silently picks other templates.
 */
public final class Templates {
  public static final String ENV = "FLOTILLA_TEMPLATES";
  static final String NEW = "new";

  private final Path root;

  private Templates(Path root) {
    this.root = root;
  }

  /** Uses {@code root} as the templates folder, after checking that it is one. */
  public static Templates at(Path root) throws ScaffoldException {
    Path r = root.toAbsolutePath().normalize();
    if (!isTemplatesFolder(r)) {
      throw new ScaffoldException(r, "not a templates folder: expected a folder holding " + NEW + "/site.yaml");
    }
    return new Templates(r);
  }

  /** Finds the templates folder for this process: {@code explicit} may be null. */
  public static Templates locate(Path explicit) throws ScaffoldException {
    return locate(Optional.ofNullable(explicit), System.getenv(), runningJarFolder(), Path.of(""));
  }

  /**
   * Finds the templates folder from the given explicit path, environment, folder of the running
   * jar (if known) and working directory, in that order.
   */
  static Templates locate(
      Optional<Path> explicit, Map<String, String> env, Optional<Path> jarFolder, Path workingDir)
      throws ScaffoldException {
    if (explicit.isPresent()) return at(explicit.get());
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      try {
        return at(Path.of(fromEnv));
      } catch (ScaffoldException e) {
        throw new ScaffoldException(e.path(), "set by " + ENV + ", but not a templates folder: expected a folder holding " + NEW + "/site.yaml");
      }
    }
    List<Path> tried = new ArrayList<>();
    if (jarFolder.isPresent()) tried.add(jarFolder.get().resolve("../../templates").toAbsolutePath().normalize());
    tried.add(workingDir.resolve("templates").toAbsolutePath().normalize());
    for (Path candidate : tried) {
      if (isTemplatesFolder(candidate)) return new Templates(candidate);
    }
    throw new ScaffoldException(
        tried.get(tried.size() - 1),
        "no templates folder found; looked in " + tried + " (set " + ENV + " or pass the path of the project's templates/ folder)");
  }

  public Path root() {
    return root;
  }

  /** The names of the fleet templates, sorted: the sub-folders that hold a {@code fleet.yaml}. */
  public List<String> fleetTemplates() throws ScaffoldException {
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(p -> Files.isRegularFile(p.resolve("fleet.yaml")))
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ScaffoldException(root, "cannot list the templates folder: " + e.getMessage(), e);
    }
  }

  /** The folder of one fleet template; an unknown name fails with the list of known ones. */
  public Path fleetTemplate(String name) throws ScaffoldException {
    List<String> available = fleetTemplates();
    if (!available.contains(name)) {
      throw new ScaffoldException(root, "unknown template '" + name + "'; available: " + String.join(", ", available));
    }
    return root.resolve(name);
  }

  /** The template of one site document, with {@code __NAME__}, {@code __TIER__}, {@code __TIMEZONE__}. */
  Path newSite() {
    return root.resolve(NEW).resolve("site.yaml");
  }

  /** The {@code cluster:} lines appended to a new site of a push tier, with {@code __NAME__}. */
  Path newSiteCluster() {
    return root.resolve(NEW).resolve("site-cluster.yaml");
  }

  /** The app template folder: {@code app.yaml}, {@code base/} and {@code overlays/__TIER__/}. */
  Path newApp() {
    return root.resolve(NEW).resolve("app");
  }

  private static boolean isTemplatesFolder(Path p) {
    return Files.isRegularFile(p.resolve(NEW).resolve("site.yaml"));
  }

  /**
   * The folder holding the jar (or, when run from {@code target/classes}, the folder holding
   * that), so that {@code ../../templates} is the project's templates folder either way.
   */
  private static Optional<Path> runningJarFolder() {
    CodeSource source = Templates.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) return Optional.empty();
    try {
      Path location = Path.of(source.getLocation().toURI());
      return Optional.ofNullable(location.getParent());
    } catch (URISyntaxException | IllegalArgumentException e) {
      // Not a file: URL (for example a jar inside another jar): there is no folder to look beside.
      return Optional.empty();
    }
  }

  /**
   * The Flotilla project folder the running jar was built in ({@code <jar folder>/../..}), where
   * {@code templates/} and {@code fleet-repo-example/} live; empty when the jar runs elsewhere.
   */
  public static Optional<Path> installFolder() {
    return runningJarFolder().map(f -> f.resolve("../..").toAbsolutePath().normalize()).filter(Files::isDirectory);
  }

  @Override
  public String toString() {
    return "Templates[" + root + "]";
  }
}
