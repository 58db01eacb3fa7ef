package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flotilla tokens create|list|revoke} on a data folder, as an operator would run them before {@code serve}. */
class TokensCliTest {
  @TempDir Path data;

  record Run(int exit, String out, String err) {}

  Run run(String... args) {
    CommandLine cli = Main.commandLine(new Launch(data, Map.of()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void createPrintsTheTokenOnceAndStoresOnlyItsHash() throws Exception {
    Run created = run("tokens", "create", "ci-bot", "--role", "operator", "--data-dir", data.toString());

    assertThat(created.exit()).as(created.err()).isZero();
    String token = created.out().trim();
    assertThat(token).startsWith("flt_").hasSizeGreaterThan(40);
    assertThat(created.err()).contains("ci-bot").contains("operator").doesNotContain(token);
    try (Database db = Database.open(DatabaseSettings.embedded(data)); Connection c = db.dataSource().getConnection();
        ResultSet rows = c.createStatement().executeQuery("SELECT name, role, token_hash FROM access_tokens")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString("name")).isEqualTo("ci-bot");
      assertThat(rows.getString("token_hash")).hasSize(64).isNotEqualTo(token).doesNotContain(token.substring(4));
    }
  }

  @Test
  void listShowsNamesAndRolesButNeverTokens() {
    String viewer = run("tokens", "create", "dash", "--role", "viewer", "--data-dir", data.toString()).out().trim();
    run("tokens", "create", "ada", "--role", "admin", "--data-dir", data.toString());

    Run list = run("tokens", "list", "--data-dir", data.toString());

    assertThat(list.exit()).isZero();
    assertThat(list.out()).containsPattern("ada +admin").containsPattern("dash +viewer").doesNotContain(viewer);
  }

  @Test
  void revokeRemovesTheTokenAndAnUnknownNameIsAnError() {
    run("tokens", "create", "temp", "--role", "viewer", "--data-dir", data.toString());

    Run revoked = run("tokens", "revoke", "temp", "--data-dir", data.toString());
    Run again = run("tokens", "revoke", "temp", "--data-dir", data.toString());

    assertThat(revoked.exit()).isZero();
    assertThat(run("tokens", "list", "--data-dir", data.toString()).out()).doesNotContain("temp");
    assertThat(again.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(again.err()).contains("no token named temp");
  }

  @Test
  void aBadRoleADuplicateOrABadNameExitsTwo() {
    run("tokens", "create", "ada", "--role", "admin", "--data-dir", data.toString());

    Run badRole = run("tokens", "create", "bob", "--role", "root", "--data-dir", data.toString());
    Run duplicate = run("tokens", "create", "ada", "--role", "viewer", "--data-dir", data.toString());
    Run badName = run("tokens", "create", "\u001b[2Jevil name", "--role", "viewer", "--data-dir", data.toString());

    assertThat(badRole.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(badRole.err()).contains("viewer, operator or admin");
    assertThat(duplicate.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(duplicate.err()).contains("exists already");
    assertThat(badName.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(badName.err()).doesNotContain("\u001b").contains("\\e[2J");
  }
}
