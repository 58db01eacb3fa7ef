package dev.flotilla.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database is and how to reach it. {@link #embedded(Path)} is the default: an H2 file
 * under the data folder, for one engine process. A {@code jdbc:postgresql:} URL is for several
 * replicas sharing one database.
 *
 * @param maxPoolSize connections in the pool; Quartz needs its worker threads plus a few more
 */
public record DatabaseSettings(String url, String user, String password, int maxPoolSize) {
  public static final int DEFAULT_POOL_SIZE = 16;

  /**
   * H2 options, each on purpose. {@code DB_CLOSE_ON_EXIT=FALSE}: the engine closes the database
   * after Quartz has stopped, not H2's own shutdown hook before it. {@code WRITE_DELAY=0}: a commit
   * reaches the file when it returns, so a crashed process loses no acknowledged rollout step
   * (H2's default lets up to half a second of commits wait in memory). {@code LOCK_TIMEOUT=10000}:
   * Quartz's row locks and the engine's transactions may wait on each other for longer than H2's
   * default second. The file lock (H2's default) keeps a second process from opening the same
   * file. No compatibility {@code MODE}: the migrations are written per vendor, so none is needed.
   * The URL's {@code async:} file system (see {@link #embeddedUrl}) matters as much as these.
   */
  static final String H2_OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";

  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Vendor.of(url);
    if (maxPoolSize < 2) throw new IllegalArgumentException("maxPoolSize must be at least 2, got " + maxPoolSize);
  }

  /** The default: {@code <dataDir>/flotilla.mv.db}, an embedded H2 file database. */
  public static DatabaseSettings embedded(Path dataDir) {
    return new DatabaseSettings(embeddedUrl(dataDir), "flotilla", "", DEFAULT_POOL_SIZE);
  }

  /** Any supported JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...}). */
  public static DatabaseSettings of(String url, String user, String password) {
    return new DatabaseSettings(url, user, password, DEFAULT_POOL_SIZE);
  }

  /**
   * {@code async:} rather than {@code file:}: H2's default file channel is closed for good when a
   * thread writing to it is interrupted, and Quartz interrupts its threads when it shuts down; the
   * database would then be lost to every other thread of the process until it is reopened.
   */
  public static String embeddedUrl(Path dataDir) {
    return "jdbc:h2:async:" + dataDir.toAbsolutePath().resolve("flotilla") + H2_OPTIONS;
  }

  public DatabaseSettings withMaxPoolSize(int size) {
    return new DatabaseSettings(url, user, password, size);
  }

  public Vendor vendor() {
    return Vendor.of(url);
  }

  /** The URL without credentials or options, for log lines. */
  public String displayUrl() {
    int options = url.indexOf(';');
    String base = options < 0 ? url : url.substring(0, options);
    int query = base.indexOf('?');
    return query < 0 ? base : base.substring(0, query);
  }
}
