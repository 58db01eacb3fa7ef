package dev.flotilla.render;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where kustomize comes from, and how to call it. An explicit path (the {@code --kustomize} option,
 * else the {@code FLOTILLA_KUSTOMIZE} environment variable) wins; otherwise a standalone {@code
 * kustomize} on PATH, otherwise {@code kubectl kustomize}. A program named {@code kubectl} is always
 * called in kubectl's form.
 */
public final class KustomizeBinary {
  static final String ENV = "FLOTILLA_KUSTOMIZE";
  private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

  /** How the program is invoked: {@code kustomize build DIR} or {@code kubectl kustomize DIR}. */
  public enum Form {
    KUSTOMIZE,
    KUBECTL
  }

  private final Path executable;
  private final Form form;
  private final ProcessRunner runner;
  private String version; // guarded by this

  KustomizeBinary(Path executable, Form form, ProcessRunner runner) {
    this.executable = executable;
    this.form = form;
    this.runner = runner;
  }

  /** Locates kustomize from this process's environment; {@code explicit} (the CLI option) may be null. */
  public static KustomizeBinary locate(String explicit, ProcessRunner runner) throws RenderException {
    return locate(explicit, System.getenv(), runner);
  }

  /** Locates kustomize with {@code env} standing in for the environment (its PATH and FLOTILLA_KUSTOMIZE). */
  public static KustomizeBinary locate(String explicit, Map<String, String> env, ProcessRunner runner)
      throws RenderException {
    String path = env.getOrDefault("PATH", "");
    String chosen = explicit != null && !explicit.isBlank() ? explicit : env.get(ENV);
    if (chosen != null && !chosen.isBlank()) {
      Path exe = resolveExplicit(chosen, path)
          .orElseThrow(() -> RenderException.noKustomize(
              "'" + chosen + "' (from " + (chosen.equals(explicit) ? "--kustomize" : ENV) + ") is not an executable file"));
      return new KustomizeBinary(exe, formOf(exe), runner);
    }
    Optional<Path> kustomize = onPath("kustomize", path);
    if (kustomize.isPresent()) return new KustomizeBinary(kustomize.get(), Form.KUSTOMIZE, runner);
    Optional<Path> kubectl = onPath("kubectl", path);
    if (kubectl.isPresent()) return new KustomizeBinary(kubectl.get(), Form.KUBECTL, runner);
    throw RenderException.noKustomize("neither kustomize nor kubectl is on PATH (" + path + ")");
  }

  /** The command that renders the kustomization in {@code dir} to stdout. */
  public List<String> buildArgv(Path dir) {
    String exe = executable.toString();
    String target = dir.toString();
    return form == Form.KUBECTL ? List.of(exe, "kustomize", target) : List.of(exe, "build", target);
  }

  /** The command that prints the version; for kubectl it includes the embedded Kustomize version. */
  public List<String> versionArgv() {
    String exe = executable.toString();
    return form == Form.KUBECTL ? List.of(exe, "version", "--client") : List.of(exe, "version");
  }

  /** The program's version output, asked once; part of every render cache key. */
  public synchronized String version() throws RenderException {
    if (version == null) {
      ProcessResult result;
      try {
        result = runner.run(versionArgv(), Path.of(System.getProperty("user.dir")), VERSION_TIMEOUT);
      } catch (IOException e) {
        throw RenderException.couldNotRun("could not ask " + executable + " for its version", null, null, e);
      }
      if (!result.succeeded()) {
        throw new RenderException(String.join(" ", versionArgv()) + " failed with exit code " + result.exitCode(),
            null, null, null, result.stderr());
      }
      version = form + " " + result.stdout().strip();
    }
    return version;
  }

  public Path executable() {
    return executable;
  }

  public Form form() {
    return form;
  }

  @Override
  public String toString() {
    return String.join(" ", buildArgv(Path.of("DIR")));
  }

  private static Optional<Path> resolveExplicit(String chosen, String path) {
    if (!chosen.contains("/") && !chosen.contains(File.separator)) return onPath(chosen, path);
    try {
      Path p = Path.of(chosen).toAbsolutePath();
      return isExecutable(p) ? Optional.of(p) : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> onPath(String name, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      try {
        Path candidate = Path.of(dir, name).toAbsolutePath();
        if (isExecutable(candidate)) return Optional.of(candidate);
      } catch (InvalidPathException e) {
        // A malformed PATH entry cannot hold the program; the next entries still may.
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }

  private static Form formOf(Path exe) {
    String name = exe.getFileName().toString();
    return name.equals("kubectl") || name.equals("kubectl.exe") ? Form.KUBECTL : Form.KUSTOMIZE;
  }
}
