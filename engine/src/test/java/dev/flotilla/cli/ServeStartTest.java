package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve} refuses to start, with exit 2 and a message (no stack trace), when it must not. */
class ServeStartTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  Run run(String... args) {
    CommandLine cli = Main.commandLine(new Launch(dir, Map.of()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aDataFolderThatLostItsDatabaseIsRefusedWithoutReinitialize() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("engine-state"), "database created 2026-01-01T00:00:00Z\n");
    Files.createDirectories(dir.resolve("fleet"));

    Run r = run("serve", "--repo", "fleet", "--data-dir", "data", "--listen", "127.0.0.1:0");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains("--reinitialize").contains("gone").doesNotContain("\tat ");
    assertThat(data.resolve("flotilla.mv.db")).doesNotExist();
  }

  @Test
  void aListenAddressWithoutPortIsExitTwo() {
    Run r = run("serve", "--repo", "fleet", "--listen", "foo");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains("--listen must be HOST:PORT").doesNotContain("\tat ");
  }

  @Test
  void gitHubAndGitLabTogetherAreExitTwo() {
    Run r = run("serve", "--repo", "fleet", "--listen", "127.0.0.1:0", "--github-api", "https://api.github.com", "--github-repo", "acme/fleet",
        "--gitlab-api", "https://gitlab.example/api/v4", "--gitlab-project", "15");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains("--github-api and --gitlab-api exclude each other").doesNotContain("\tat ");
  }

  @Test
  void aGitLabApiWithoutItsProjectIsExitTwo() {
    Run r = run("serve", "--repo", "fleet", "--listen", "127.0.0.1:0", "--gitlab-api", "https://gitlab.example/api/v4");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains("--gitlab-api and --gitlab-project go together");
  }

  @Test
  void aPlainHttpGitLabApiIsRefusedUnlessAllowed() {
    Run r = run("serve", "--repo", "fleet", "--listen", "127.0.0.1:0", "--gitlab-api", "http://gitlab.example/api/v4", "--gitlab-project", "15");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains("--gitlab-api/--gitlab-project").contains("not https");
  }

  @Test
  void aBadAllowedSignersFileIsExitTwoNamingItsLineAndField() throws Exception {
    Path signers = Files.writeString(dir.resolve("signers.yaml"), "allowedSigners:\n  - name: ops\n    ssh: 6F577B8619B91BA4\n");
    Files.createDirectories(dir.resolve("fleet"));

    Run r = run("serve", "--repo", "fleet", "--data-dir", "data", "--listen", "127.0.0.1:0", "--allowed-signers", "signers.yaml");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains(signers + ":3: allowedSigners[0].ssh: expected an OpenSSH public key")
        .contains("--allowed-signers " + signers + " is invalid (1 problem(s)); the engine was not started")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("data")).as("nothing was started").doesNotExist();
  }

  @Test
  void aMissingAllowedSignersFileIsExitTwo() {
    Run r = run("serve", "--repo", "fleet", "--listen", "127.0.0.1:0", "--allowed-signers", "nowhere.yaml");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains(dir.resolve("nowhere.yaml") + ": no such file");
  }

  @Test
  void anOpenPgpBlockThatCannotBeReadIsExitTwo() throws Exception {
    Path signers = Files.writeString(dir.resolve("signers.yaml"), """
        allowedSigners:
          - name: ops
            openpgp: |
              -----BEGIN PGP PUBLIC KEY BLOCK-----

              mQENBGVNmYcBCADExample
              -----END PGP PUBLIC KEY BLOCK-----
        """);

    Run r = run("serve", "--repo", "fleet", "--listen", "127.0.0.1:0", "--allowed-signers", "signers.yaml");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains(signers + ": allowedSigners[0].openpgp: the OpenPGP key block");
  }

  @Test
  void aGoodAllowedSignersFileIsTakenAndTheNextOptionIsChecked() throws Exception {
    String key = dev.flotilla.testing.CommitSigning.OpenPgpKey.generate("Ops <ops@flotilla.dev>").armoredPublicKey();
    Files.writeString(dir.resolve("signers.yaml"), "allowedSigners:\n  - name: ops\n    openpgp: |\n" + key.indent(6));

    Run r = run("serve", "--repo", "fleet", "--listen", "foo", "--allowed-signers", "signers.yaml");

    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains("--listen must be HOST:PORT").doesNotContain("is invalid").doesNotContain("signers.yaml");
  }
}
