package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.AllowedSigner;
import dev.flotilla.testing.CommitSigning.OpenPgpKey;
import org.junit.jupiter.api.Test;

/** Whether a pinned key can check signatures at all, so a bad pin refuses to start rather than every revision later. */
class AllowedSignerKeysTest {
  static final String GARBLED_OPENPGP = """
      -----BEGIN PGP PUBLIC KEY BLOCK-----

      mQENBGVNmYcBCADExample
      -----END PGP PUBLIC KEY BLOCK-----
      """;

  @Test
  void aRealOpenPgpKeyIsUsable() {
    AllowedSigner ops = new AllowedSigner("ops", AllowedSigner.Format.OPENPGP, OpenPgpKey.generate("Ops <ops@flotilla.dev>").armoredPublicKey());

    assertThat(AllowedSignerKeys.unusable(ops)).isEmpty();
  }

  @Test
  void anOpenPgpBlockOfTheRightShapeButNoKeyIsNot() {
    AllowedSigner ops = new AllowedSigner("ops", AllowedSigner.Format.OPENPGP, GARBLED_OPENPGP);

    assertThat(AllowedSignerKeys.unusable(ops)).hasValueSatisfying(why -> assertThat(why).startsWith("the OpenPGP key block"));
  }

  @Test
  void anSshLineWhoseKeyCannotBeReadIsNot() {
    // ssh-ed25519 with a 3-byte key after its type: the right shape for the fleet reader, no key for the verifier.
    AllowedSigner ops = new AllowedSigner("ops", AllowedSigner.Format.SSH, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAA3h5eg== ops");

    assertThat(AllowedSignerKeys.unusable(ops)).contains("the SSH public key cannot be read");
  }
}
