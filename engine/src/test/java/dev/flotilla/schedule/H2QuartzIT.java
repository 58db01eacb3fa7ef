package dev.flotilla.schedule;

import dev.flotilla.store.DatabaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Quartz's JDBC job store in the embedded H2 file, as one engine process runs it by default. */
class H2QuartzIT extends QuartzContract {
  @TempDir Path dataDir;

  @Override
  DatabaseSettings freshDatabase() {
    return DatabaseSettings.embedded(dataDir);
  }
}
