package dev.flotilla.cli;

import dev.flotilla.app.Workspace;
import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcSiteTokens;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "site-token", description = "Makes a new token for a pull site's agent (replacing its old one) and prints it once; "
    + "the engine keeps only its SHA-256. With embedded H2, run it while serve is stopped; with PostgreSQL (--db-url), at any time.")
final class SiteTokenCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SITE", description = "The pull site, as named in the fleet repo.")
  String site;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The engine's data folder (default: $FLOTILLA_DATA or ./.flotilla).")
  Path dataDir;

  @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "The engine's database, when not embedded H2.")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "NAME") String dbUser;

  @Option(names = "--db-password-env", paramLabel = "VAR", description = "Environment variable holding the database password (default: FLOTILLA_DB_PASSWORD).")
  String dbPasswordEnv = "FLOTILLA_DB_PASSWORD";

  @Override
  public Integer call() throws StoreException {
    if (!site.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
      System.err.println("flotilla: site-token: '" + site + "' is not a site name (DNS-style, lower case)");
      return ExitCodes.INVALID;
    }
    DatabaseSettings settings = dbUrl != null
        ? DatabaseSettings.of(dbUrl, dbUser, System.getenv(dbPasswordEnv))
        : DatabaseSettings.embedded(Workspace.from(dataDir, System.getenv()).dataDir());
    try (Database db = Database.open(settings.withMaxPoolSize(2))) {
      String token = SiteAuth.issue(new JdbcSiteTokens(db.transactions(), Clock.systemUTC()), site, new SecureRandom());
      System.out.println(token);
      System.err.println("token of site " + site + " stored (hashed); it is shown only this once");
      return ExitCodes.OK;
    }
  }
}
