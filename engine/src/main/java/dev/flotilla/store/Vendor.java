package dev.flotilla.store;

/** The databases Flotilla runs on; each has its own migration folder and Quartz delegate. */
public enum Vendor {
  H2("h2", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate"),
  POSTGRESQL("postgresql", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");

  private final String folder;
  private final String quartzDelegate;

  Vendor(String folder, String quartzDelegate) {
    this.folder = folder;
    this.quartzDelegate = quartzDelegate;
  }

  public static Vendor of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:h2:")) return H2;
    if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
    throw new IllegalArgumentException(
        "unsupported database URL " + jdbcUrl + ": use jdbc:h2:... or jdbc:postgresql://...");
  }

  /** The Flyway location of this vendor's migrations. */
  public String migrations() {
    return "classpath:db/migration/" + folder;
  }

  /** The SQL expression that takes the next number of {@code sequence}. */
  public String nextValue(String sequence) {
    return switch (this) {
      case H2 -> "NEXT VALUE FOR " + sequence;
      case POSTGRESQL -> "nextval('" + sequence + "')";
    };
  }

  /** The class name of Quartz's JDBC driver delegate for this vendor. */
  public String quartzDelegate() {
    return quartzDelegate;
  }
}
