package dev.flotilla.app;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Flotilla keeps its files: the data folder ({@code FLOTILLA_DATA}, default {@code
 * ./.flotilla}) and, under it, the cache of Git mirrors, revision snapshots and rendered overlays.
 */
public record Workspace(Path dataDir) {
  public static final String DATA_ENV = "FLOTILLA_DATA";

  public static Workspace from(Path explicit, Map<String, String> env) {
    if (explicit != null) return new Workspace(explicit);
    String fromEnv = env.get(DATA_ENV);
    return new Workspace(Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : ".flotilla"));
  }

  /**
   * Where the default data folder goes for a local fleet repo: {@code defaultDir} (the working
   * folder's {@code .flotilla}) unless that lies inside the repo's Git work tree (or the repo
   * folder), where it would add untracked files to the fleet repo and be read, copied and pushed
   * with it; then {@code $XDG_DATA_HOME/flotilla/<repo>-<hash>} (default {@code
   * ~/.local/share/flotilla/...}), one folder per repo.
   */
  public static Path defaultDataDir(Path defaultDir, Path localRepo, Map<String, String> env) {
    Path repo = localRepo.toAbsolutePath().normalize();
    Path root = repo;
    for (Path p = repo; p != null; p = p.getParent()) {
      if (java.nio.file.Files.exists(p.resolve(".git"))) {
        root = p;
        break;
      }
    }
    Path dir = defaultDir.toAbsolutePath().normalize();
    if (!dir.startsWith(root) && !dir.startsWith(repo)) return defaultDir;
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
    String name = root.getFileName() == null ? "fleet" : root.getFileName().toString();
    String hash = Integer.toHexString(repo.toString().hashCode());
    return base.resolve("flotilla").resolve(name + "-" + hash);
  }

  public Path cacheDir() {
    return dataDir.resolve("cache");
  }
}
