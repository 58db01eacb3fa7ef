package dev.flotilla.cli;

import dev.flotilla.api.AccessTokens;
import dev.flotilla.api.Role;
import dev.flotilla.engine.EngineException;
import dev.flotilla.engine.port.AccessToken;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcAuditLog;
import dev.flotilla.store.JdbcTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla tokens ...}: the API's bearer tokens, in the engine's database (the same
 * {@code --data-dir} or {@code --db-url} as {@code serve}). An embedded H2 database is locked by a
 * running {@code serve}; then use the API's {@code /api/v1/tokens} with an admin token.
 */
@Command(name = "tokens", description = "Creates, lists and revokes the bearer tokens of the engine's API.",
    subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
final class TokensCommand {

  /** Where the engine's database is, as for serve. */
  static final class Store {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "The engine's data folder (default: $FLOTILLA_DATA or ./.flotilla).")
    Path dataDir;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "The engine's database, if not the embedded one of the data folder.")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "NAME") String dbUser;

    @Option(names = "--db-password-env", paramLabel = "VAR", description = "Environment variable holding the database password (default: FLOTILLA_DB_PASSWORD).")
    String dbPasswordEnv = "FLOTILLA_DB_PASSWORD";

    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    Database open() throws StoreException, IOException {
      if (dbUrl != null) {
        String password = System.getenv(dbPasswordEnv);
        return Database.open(DatabaseSettings.of(dbUrl, dbUser == null ? "" : dbUser, password == null ? "" : password));
      }
      Files.createDirectories(dataDir);
      return Database.open(DatabaseSettings.embedded(dataDir));
    }

    static AccessTokens tokens(Database db) {
      return new AccessTokens(new JdbcTokens(db.transactions()), new JdbcAuditLog(db.transactions()), Clock.systemUTC());
    }

    /** Who the audit log says made or revoked a token. */
    static String actor() {
      return "cli:" + System.getenv().getOrDefault("USER", "unknown");
    }
  }

  @Command(name = "create", description = {"Creates a token and prints it once; only its hash is stored.",
      "The token's NAME is the actor the audit log records for what its holder does."})
  static final class Create implements Callable<Integer> {
    @Mixin Store store;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--role", paramLabel = "ROLE", required = true,
        description = "viewer (read), operator (also steer rollouts and sync) or admin (also manage tokens).")
    String role;

    @Override
    public Integer call() throws StoreException, IOException {
      try (Database db = store.open()) {
        AccessTokens.Created created = Store.tokens(db).create(name, Role.of(role), Store.actor());
        store.out().println(created.secret());
        store.err().println("token " + SafeText.of(name) + " (" + created.token().role()
            + ") created; it is shown only now: keep it in a file or $FLOTILLA_TOKEN");
        return ExitCodes.OK;
      } catch (EngineException e) {
        store.err().println("flotilla: tokens create: " + SafeText.of(e.getMessage()));
        return ExitCodes.INVALID;
      }
    }
  }

  @Command(name = "list", description = "Lists the tokens: name, role and when each was created (never the tokens).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin Store store;

    @Override
    public Integer call() throws StoreException, IOException {
      try (Database db = store.open()) {
        store.out().printf("%-30s %-9s %s%n", "NAME", "ROLE", "CREATED");
        for (AccessToken t : Store.tokens(db).list()) {
          store.out().printf("%-30s %-9s %s%n", SafeText.of(t.name()), SafeText.of(t.role()), t.createdAt());
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "revoke", description = "Revokes a token: calls with it are refused from now on.")
  static final class Revoke implements Callable<Integer> {
    @Mixin Store store;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() throws StoreException, IOException {
      try (Database db = store.open()) {
        Store.tokens(db).revoke(name, Store.actor());
        store.out().println("token " + SafeText.of(name) + " revoked");
        return ExitCodes.OK;
      } catch (EngineException e) {
        store.err().println("flotilla: tokens revoke: " + SafeText.of(e.getMessage()));
        return ExitCodes.INVALID;
      }
    }
  }

  private TokensCommand() {}
}
