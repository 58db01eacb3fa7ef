package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.testing.FleetFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet.yaml}'s {@code requireSignedCommits}: what is read, and each problem at its file, line and field. */
class SignedCommitsReaderTest {
  static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC6QK0i8c1t6c3c0mXq0yJ2n1Y2hD5Rk6Zb1z0t0Zk3N bob@laptop";
  static final String PGP_KEY = """
      -----BEGIN PGP PUBLIC KEY BLOCK-----

      mQENBGVNmYcBCADExample
      -----END PGP PUBLIC KEY BLOCK-----
      """;

  @TempDir Path dir;

  private FleetFiles fleetWith(String requireSignedCommits) {
    return FleetFiles.minimal(dir).write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata:
          name: shop
        spec:
          tiers:
            - name: hub
              delivery: push
            - name: edge
              delivery: pull
          windows:
            - name: night
              cron: "0 0 2 ? * *"
              duration: 3h
        """ + requireSignedCommits.indent(2));
  }

  private List<String> problems(FleetFiles files) {
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class, () -> FleetLoader.load(files.root()));
    assertThat(e).as("the fleet repo should be invalid").isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void aFleetWithoutTheFieldRequiresNoSignatures() throws Exception {
    assertThat(FleetLoader.load(FleetFiles.minimal(dir).root()).fleet().requireSignedCommits()).isEmpty();
  }

  @Test
  void openPgpAndSshSignersAreReadInOrder() throws Exception {
    FleetFiles files = fleetWith("""
        requireSignedCommits:
          allowedSigners:
            - name: alice
              openpgp: |
        %s
            - name: bob
              ssh: %s
        """.formatted(PGP_KEY.indent(8).stripTrailing(), SSH_KEY));

    SignedCommits signed = FleetLoader.load(files.root()).fleet().requireSignedCommits().orElseThrow();

    assertThat(signed.allowedSigners()).containsExactly(
        new AllowedSigner("alice", AllowedSigner.Format.OPENPGP, PGP_KEY),
        new AllowedSigner("bob", AllowedSigner.Format.SSH, SSH_KEY));
  }

  @Test
  void anEmptyListIsAProblem() {
    assertThat(problems(fleetWith("requireSignedCommits:\n  allowedSigners: []\n"))).containsExactly(
        "fleet.yaml:16: spec.requireSignedCommits.allowedSigners: requireSignedCommits needs at least one allowed signer");
  }

  @Test
  void aSignerNeedsOneKeyNotBoth() {
    assertThat(problems(fleetWith("""
        requireSignedCommits:
          allowedSigners:
            - name: alice
            - name: bob
              ssh: "%s"
              openpgp: "x"
        """.formatted(SSH_KEY)))).containsExactly(
        "fleet.yaml:17: spec.requireSignedCommits.allowedSigners[0].name: an allowed signer needs one key: openpgp (an armored"
            + " public key) or ssh (an OpenSSH public key line)",
        "fleet.yaml:19: spec.requireSignedCommits.allowedSigners[1].ssh: an allowed signer has one key, openpgp or ssh, not both");
  }

  @Test
  void aFingerprintIsNotAnOpenPgpKey() {
    assertThat(problems(fleetWith("""
        requireSignedCommits:
          allowedSigners:
            - name: alice
              openpgp: 6F577B8619B91BA410800D9C9CD655A8C8C3D57D
        """))).singleElement().asString().startsWith(
        "fleet.yaml:18: spec.requireSignedCommits.allowedSigners[0].openpgp: expected an ASCII-armored OpenPGP public key");
  }

  @Test
  void aPrivateKeyIsRefusedWithAWarning() {
    assertThat(problems(fleetWith("""
        requireSignedCommits:
          allowedSigners:
            - name: alice
              openpgp: "-----BEGIN PGP PRIVATE KEY BLOCK----- x -----END PGP PRIVATE KEY BLOCK-----"
        """))).containsExactly("fleet.yaml:18: spec.requireSignedCommits.allowedSigners[0].openpgp: this is a private key;"
        + " give the public key (gpg --armor --export <key>) and keep the private key secret");
  }

  @Test
  void anSshLineWhoseKeyIsOfAnotherTypeIsAProblem() {
    // The ed25519 blob relabelled as RSA: a copy-and-paste mix-up, or a truncated edit.
    String relabelled = SSH_KEY.replace("ssh-ed25519", "ssh-rsa");
    assertThat(problems(fleetWith("""
        requireSignedCommits:
          allowedSigners:
            - name: bob
              ssh: "%s"
        """.formatted(relabelled)))).containsExactly(
        "fleet.yaml:18: spec.requireSignedCommits.allowedSigners[0].ssh: the line says ssh-rsa but its key is of type 'ssh-ed25519'");
  }

  @Test
  void anUnknownSshKeyTypeIsAProblem() {
    assertThat(problems(fleetWith("""
        requireSignedCommits:
          allowedSigners:
            - name: bob
              ssh: "ssh-dss AAAAB3NzaC1kc3M="
        """))).singleElement().asString().startsWith(
        "fleet.yaml:18: spec.requireSignedCommits.allowedSigners[0].ssh: expected an OpenSSH public key such as 'ssh-ed25519 AAAA... name'");
  }

  @Test
  void duplicateSignerNamesAndUnknownFieldsAreProblems() {
    assertThat(problems(fleetWith("""
        requireSignedCommits:
          allowedSigners:
            - name: bob
              ssh: "%1$s"
            - name: bob
              ssh: "%1$s"
              email: bob@example.com
          mode: strict
        """.formatted(SSH_KEY)))).containsExactly(
        "fleet.yaml:19: spec.requireSignedCommits.allowedSigners[1].name: duplicate allowed signer 'bob'",
        "fleet.yaml:21: spec.requireSignedCommits.allowedSigners[1].email: unknown field; expected one of: name, openpgp, ssh",
        "fleet.yaml:22: spec.requireSignedCommits.mode: unknown field; expected one of: allowedSigners");
  }
}
