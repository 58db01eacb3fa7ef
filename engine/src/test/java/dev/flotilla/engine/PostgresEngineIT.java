package dev.flotilla.engine;

import dev.flotilla.app.EngineConfig;
import dev.flotilla.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same engine scenarios on PostgreSQL (a throwaway cluster on loopback): state, audit and Quartz there. */
class PostgresEngineIT extends EngineIT {
  private static PostgresServer server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @BeforeAll
  static void startPostgres() {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    server.close();
  }

  @Override
  EngineConfig database(EngineConfig config) {
    String url = server.createDatabase("engine" + DATABASES.incrementAndGet());
    return config.withDatabase(url, PostgresServer.USER, "", false);
  }
}
