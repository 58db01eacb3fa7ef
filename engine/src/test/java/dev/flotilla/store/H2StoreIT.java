package dev.flotilla.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on embedded H2, as the engine runs by default: a file under the data folder. */
class H2StoreIT extends StoreContract {
  @TempDir Path dataDir;
  private int databases;

  @Override
  DatabaseSettings freshDatabase() {
    return DatabaseSettings.embedded(dataDir.resolve("db-" + ++databases));
  }
}
