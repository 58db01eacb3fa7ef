package dev.flotilla.cli;

import dev.flotilla.git.FleetRepoSource;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI was started and with which environment. Every path of the command line or the
 * environment is resolved against {@link #workingFolder} once, while the arguments are parsed, so
 * nothing below the CLI ever holds a relative path: kustomize and Git run in other folders, where
 * a relative path would name something else.
 */
record Launch(Path workingFolder, Map<String, String> environment) {
  Launch {
    workingFolder = workingFolder.toAbsolutePath().normalize();
    environment = Map.copyOf(environment);
  }

  /** This process: its working directory and environment. */
  static Launch ofThisProcess() {
    return new Launch(Path.of(""), System.getenv());
  }

  /** {@code path} made absolute against the working folder, and normalized. */
  Path absolute(String path) {
    return workingFolder.resolve(path).normalize();
  }

  /** A fleet repo location: a URL stays as it is, a local path is made absolute. */
  RepoLocation repoLocation(String pathOrUrl) {
    return new RepoLocation(FleetRepoSource.isUrl(pathOrUrl) ? pathOrUrl : absolute(pathOrUrl).toString());
  }

  /** An environment variable's value, or null when it is unset or blank. */
  String env(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
