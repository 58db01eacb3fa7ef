package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.AllowedSigner;
import dev.flotilla.fleet.SignedCommits;
import dev.flotilla.testing.CommitSigning.OpenPgpKey;
import dev.flotilla.testing.CommitSigning.SshKey;
import dev.flotilla.testing.GitFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgConfig.GpgFormat;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit signatures judged against {@code requireSignedCommits}, on real commits: OpenPGP signed
 * with a Bouncy Castle key through JGit, SSH signed by the real {@code git} with a key from
 * {@code ssh-keygen}.
 */
class CommitSignaturesTest {
  static OpenPgpKey alice;
  static OpenPgpKey mallory;

  @TempDir Path dir;
  GitFixture git;
  FleetRepoSource source;
  SshKey bob;
  SshKey eve;

  @BeforeAll
  static void keys() {
    alice = OpenPgpKey.generate("Alice <alice@flotilla.dev>");
    mallory = OpenPgpKey.generate("Mallory <mallory@flotilla.dev>");
  }

  @BeforeEach
  void repo() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    git.write("fleet.yaml", "v: 1\n").commit("first");
    source = FleetRepoSource.open(git.workTree().toString(), dir.resolve("cache"), GitAuth.NONE);
    bob = SshKey.generate(dir.resolve("keys"), "bob");
    eve = SshKey.generate(dir.resolve("keys"), "eve");
  }

  @AfterEach
  void close() {
    source.close();
    git.close();
  }

  SignedCommits allowed() {
    return new SignedCommits(List.of(new AllowedSigner("alice", AllowedSigner.Format.OPENPGP, alice.armoredPublicKey()),
        new AllowedSigner("bob", AllowedSigner.Format.SSH, bob.publicKey())));
  }

  @Test
  void anUnsignedCommitIsRefused() throws Exception {
    String commit = git.write("fleet.yaml", "v: 2\n").commit("unsigned");

    SignatureVerdict verdict = source.checkSignature(commit, allowed());

    assertThat(verdict).isEqualTo(new SignatureVerdict.Refused(commit,
        "commit " + commit.substring(0, 7) + " is not signed; requireSignedCommits allows only commits signed by alice, bob"));
  }

  @Test
  void aCommitSignedByAnAllowedOpenPgpKeyIsTrusted() throws Exception {
    String commit = git.write("fleet.yaml", "v: 2\n").commitSigned("signed by alice", alice, GpgFormat.OPENPGP);

    SignatureVerdict verdict = source.checkSignature(commit, allowed());

    assertThat(verdict).isEqualTo(new SignatureVerdict.Trusted(commit, "alice", "openpgp " + alice.fingerprint()));
  }

  @Test
  void aCommitSignedByAnOpenPgpKeyNotInTheListIsRefusedNamingTheKey() throws Exception {
    String commit = git.write("fleet.yaml", "v: 2\n").commitSigned("signed by mallory", mallory, GpgFormat.OPENPGP);

    SignatureVerdict verdict = source.checkSignature(commit, allowed());

    assertThat(verdict).isInstanceOf(SignatureVerdict.Refused.class);
    assertThat(((SignatureVerdict.Refused) verdict).reason()).isEqualTo("commit " + commit.substring(0, 7)
        + " is signed by OpenPGP key " + mallory.fingerprint() + ", which is not in requireSignedCommits (allowed: alice, bob)");
  }

  @Test
  void aCommitSignedByAnAllowedSshKeyIsTrusted() throws Exception {
    git.write("fleet.yaml", "v: 2\n");
    String commit = bob.commitSigned(git.workTree(), "signed by bob");

    SignatureVerdict verdict = source.checkSignature(commit, allowed());

    assertThat(verdict).isEqualTo(new SignatureVerdict.Trusted(commit, "bob", bob.fingerprint()));
  }

  @Test
  void aCommitSignedByAnSshKeyNotInTheListIsRefusedNamingTheKey() throws Exception {
    git.write("fleet.yaml", "v: 2\n");
    String commit = eve.commitSigned(git.workTree(), "signed by eve");

    SignatureVerdict verdict = source.checkSignature(commit, allowed());

    assertThat(verdict).isEqualTo(new SignatureVerdict.Refused(commit, "commit " + commit.substring(0, 7)
        + " is signed by SSH key " + eve.fingerprint() + ", which is not in requireSignedCommits (allowed: alice, bob)"));
  }

  @Test
  void aRefusalByTheEnginesPinnedListNamesThatList() throws Exception {
    git.write("fleet.yaml", "v: 2\n");
    String commit = eve.commitSigned(git.workTree(), "signed by eve");
    SignedCommits pinned = new SignedCommits(allowed().allowedSigners(), SignedCommits.Origin.ENGINE_PIN);

    SignatureVerdict verdict = source.checkSignature(commit, pinned);

    assertThat(verdict).isEqualTo(new SignatureVerdict.Refused(commit, "commit " + commit.substring(0, 7) + " is signed by SSH key "
        + eve.fingerprint() + ", which is not in the engine's pinned --allowed-signers (allowed: alice, bob)"));
  }

  @Test
  void anUnsignedCommitRefusedByThePinnedListNamesThatList() throws Exception {
    String commit = git.write("fleet.yaml", "v: 2\n").commit("unsigned");

    SignatureVerdict verdict = source.checkSignature(commit, new SignedCommits(allowed().allowedSigners(), SignedCommits.Origin.ENGINE_PIN));

    assertThat(verdict).isEqualTo(new SignatureVerdict.Refused(commit, "commit " + commit.substring(0, 7)
        + " is not signed; the engine's pinned --allowed-signers allows only commits signed by alice, bob"));
  }

  @Test
  void anOpenPgpSignedCommitWhoseTreeWasSwappedIsRefused() throws Exception {
    String other = git.write("fleet.yaml", "v: evil\n").commit("other tree");
    String signed = git.write("fleet.yaml", "v: 2\n").commitSigned("signed by alice", alice, GpgFormat.OPENPGP);
    String tampered = withTreeOf(signed, other);

    SignatureVerdict verdict = source.checkSignature(tampered, allowed());

    assertThat(verdict).isInstanceOf(SignatureVerdict.Refused.class);
    assertThat(((SignatureVerdict.Refused) verdict).reason()).isEqualTo("commit " + tampered.substring(0, 7)
        + " has an OpenPGP signature by key " + alice.fingerprint()
        + " of alice that does not match the commit (altered after signing, or a broken signature)");
  }

  @Test
  void anSshSignedCommitWhoseTreeWasSwappedIsRefused() throws Exception {
    String other = git.write("fleet.yaml", "v: evil\n").commit("other tree");
    git.write("fleet.yaml", "v: 2\n");
    String signed = bob.commitSigned(git.workTree(), "signed by bob");
    String tampered = withTreeOf(signed, other);

    SignatureVerdict verdict = source.checkSignature(tampered, allowed());

    assertThat(verdict).isInstanceOf(SignatureVerdict.Refused.class);
    assertThat(((SignatureVerdict.Refused) verdict).reason()).startsWith("commit " + tampered.substring(0, 7)
        + " has an SSH signature by key " + bob.fingerprint() + " of bob that does not verify");
  }

  @Test
  void theSignedBytesAreTheCommitWithoutItsSignatureHeader() {
    byte[] raw = ("tree 1\nparent 2\nauthor a\ncommitter c\ngpgsig -----BEGIN X-----\n line\n -----END X-----\nmergetag x\n\nmessage\n")
        .getBytes(StandardCharsets.US_ASCII);

    byte[] signed = CommitSignatures.withoutSignature(raw);

    assertThat(new String(signed, StandardCharsets.US_ASCII)).isEqualTo("tree 1\nparent 2\nauthor a\ncommitter c\nmergetag x\n\nmessage\n");
  }

  /** Writes a copy of {@code signed} (signature header and all) that points at {@code donor}'s tree; returns its id. */
  private String withTreeOf(String signed, String donor) throws Exception {
    Repository repository = git.repository();
    try (RevWalk walk = new RevWalk(repository); ObjectInserter inserter = repository.newObjectInserter()) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(signed));
      RevCommit other = walk.parseCommit(ObjectId.fromString(donor));
      String raw = new String(commit.getRawBuffer(), StandardCharsets.UTF_8)
          .replace("tree " + commit.getTree().name(), "tree " + other.getTree().name());
      ObjectId id = inserter.insert(Constants.OBJ_COMMIT, raw.getBytes(StandardCharsets.UTF_8));
      inserter.flush();
      return id.name();
    }
  }
}
