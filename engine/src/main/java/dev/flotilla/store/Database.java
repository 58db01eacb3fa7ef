package dev.flotilla.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's database: a connection pool with the schema migrated to the newest version. The
 * rollout store, the audit log and Quartz's job store all share its one pool, so one transaction
 * can cover what they write together.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DatabaseSettings settings;
  private final HikariDataSource pool;
  private final Transactions transactions;

  private Database(DatabaseSettings settings, HikariDataSource pool) {
    this.settings = settings;
    this.pool = pool;
    this.transactions = new Transactions(pool);
  }

  /** Opens the pool and migrates the schema; fails if either cannot be done. */
  public static Database open(DatabaseSettings settings) throws StoreException {
    HikariDataSource pool = openPool(settings);
    try {
      migrate(settings, pool);
      return new Database(settings, pool);
    } catch (StoreException | RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** A database migrated only up to {@code version}: how tests make the database an older engine left behind. */
  static Database openAt(DatabaseSettings settings, String version) throws StoreException {
    HikariDataSource pool = openPool(settings);
    try {
      Flyway.configure().dataSource(pool).locations(settings.vendor().migrations()).javaMigrations(new V5__Rollout_bodies_to_rows())
          .target(version).load().migrate();
      return new Database(settings, pool);
    } catch (RuntimeException e) {
      pool.close();
      throw new StoreException("migrate the schema of " + settings.displayUrl() + " to version " + version, e);
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  public Transactions transactions() {
    return transactions;
  }

  public Vendor vendor() {
    return settings.vendor();
  }

  public DatabaseSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    pool.close();
    if (vendor() == Vendor.H2) log.info("database {}: closed", settings.displayUrl());
  }

  private static HikariDataSource openPool(DatabaseSettings settings) throws StoreException {
    HikariConfig config = new HikariConfig();
    config.setPoolName("flotilla-db");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.maxPoolSize());
    // Transactions turn auto-commit off themselves; a bare read outside one commits at once.
    config.setAutoCommit(true);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("connect to " + settings.displayUrl(), e);
    }
  }

  private static void migrate(DatabaseSettings settings, DataSource pool) throws StoreException {
    try {
      MigrateResult result = Flyway.configure()
          .dataSource(pool)
          .locations(settings.vendor().migrations())
          .javaMigrations(new V5__Rollout_bodies_to_rows())
          .failOnMissingLocations(true)
          .load()
          .migrate();
      log.info("database {}: schema at version {} ({} migrations applied now)",
          settings.displayUrl(), result.targetSchemaVersion == null ? "(unchanged)" : result.targetSchemaVersion,
          result.migrationsExecuted);
    } catch (FlywayException e) {
      throw new StoreException("migrate the schema of " + settings.displayUrl(), e);
    }
  }
}
