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

  public Path cacheDir() {
    return dataDir.resolve("cache");
  }
}
