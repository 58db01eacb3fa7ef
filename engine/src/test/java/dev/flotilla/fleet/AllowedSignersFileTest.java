package dev.flotilla.fleet;

import static dev.flotilla.fleet.SignedCommitsReaderTest.PGP_KEY;
import static dev.flotilla.fleet.SignedCommitsReaderTest.SSH_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's pinned {@code --allowed-signers} file: fleet.yaml's list on its own, each problem at its file, line and field. */
class AllowedSignersFileTest {
  static final String FILE = "/etc/flotilla/signers.yaml";

  private List<String> problems(String text) {
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class, () -> AllowedSignersFile.parse(FILE, text));
    assertThat(e).as("the file should be refused").isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void openPgpAndSshSignersAreReadInOrderAsThePinnedList() throws Exception {
    SignedCommits pinned = AllowedSignersFile.parse(FILE, """
        allowedSigners:
          - name: ops
            openpgp: |
        %s
          - name: break-glass
            ssh: %s
        """.formatted(PGP_KEY.indent(6).stripTrailing(), SSH_KEY));

    assertThat(pinned.allowedSigners()).containsExactly(
        new AllowedSigner("ops", AllowedSigner.Format.OPENPGP, PGP_KEY),
        new AllowedSigner("break-glass", AllowedSigner.Format.SSH, SSH_KEY));
    assertThat(pinned.origin()).isEqualTo(SignedCommits.Origin.ENGINE_PIN);
    assertThat(pinned.origin().description()).isEqualTo("the engine's pinned --allowed-signers");
  }

  @Test
  void aBadKeyIsNamedAtItsLineAndField() {
    assertThat(problems("""
        allowedSigners:
          - name: ops
            ssh: "%s"
          - name: alice
            openpgp: 6F577B8619B91BA410800D9C9CD655A8C8C3D57D
        """.formatted(SSH_KEY))).singleElement().asString()
        .startsWith(FILE + ":5: allowedSigners[1].openpgp: expected an ASCII-armored OpenPGP public key");
  }

  @Test
  void unknownFieldsAndDuplicatesAreProblems() {
    assertThat(problems("""
        allowedSigners:
          - name: ops
            ssh: "%1$s"
          - name: ops
            ssh: "%1$s"
            email: ops@example.com
        requireSignedCommits: true
        """.formatted(SSH_KEY))).containsExactly(
        FILE + ":4: allowedSigners[1].name: duplicate allowed signer 'ops'",
        FILE + ":6: allowedSigners[1].email: unknown field; expected one of: name, openpgp, ssh",
        FILE + ":7: requireSignedCommits: unknown field; expected one of: allowedSigners");
  }

  @Test
  void anEmptyListIsAProblem() {
    assertThat(problems("allowedSigners: []\n")).containsExactly(
        FILE + ":1: allowedSigners: the engine's pinned --allowed-signers needs at least one allowed signer");
  }

  @Test
  void aFileWithoutAllowedSignersIsAProblem() {
    assertThat(problems("signers:\n  - name: ops\n")).containsExactly(
        FILE + ":1: allowedSigners: required field is missing",
        FILE + ":1: signers: unknown field; expected one of: allowedSigners");
  }

  @Test
  void anEmptyFileIsAProblem() {
    assertThat(problems("# nobody yet\n")).singleElement().asString()
        .isEqualTo(FILE + ": expected allowedSigners: a list of {name, openpgp | ssh}; the file is empty");
  }

  @Test
  void aFileThatIsNotYamlIsAProblemAtItsLine() {
    assertThat(problems("allowedSigners:\n  - name: ops\n    ssh: \"unterminated\n")).singleElement().asString()
        .startsWith(FILE + ":").contains("YAML syntax error");
  }

  @Test
  void aSecondDocumentIsAProblem() {
    assertThat(problems("""
        allowedSigners:
          - name: ops
            ssh: "%1$s"
        ---
        allowedSigners:
          - name: mallory
            ssh: "%1$s"
        """.formatted(SSH_KEY))).containsExactly(FILE + ":5: expected one YAML document, got 2");
  }

  @Test
  void aListInsteadOfAMappingIsAProblem() {
    assertThat(problems("- name: ops\n  ssh: x\n")).singleElement().asString()
        .isEqualTo(FILE + ":1: expected a mapping, got a list");
  }
}
