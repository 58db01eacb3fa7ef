package dev.flotilla.store;

import dev.flotilla.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real PostgreSQL server (a throwaway cluster, one database per test). */
class PostgresStoreIT extends StoreContract {
  private static final AtomicInteger databases = new AtomicInteger();
  private static PostgresServer server;

  @BeforeAll
  static void startServer() {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) server.close();
  }

  @Override
  DatabaseSettings freshDatabase() {
    String url = server.createDatabase("store_" + databases.incrementAndGet());
    return DatabaseSettings.of(url, PostgresServer.USER, "");
  }
}
