package dev.flotilla.git;

import dev.flotilla.fleet.AllowedSigner;
import java.io.IOException;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;

/**
 * Whether the Git adapter can check signatures with an allowed signer's key at all. The fleet
 * reader checks only a key's shape; a pinned list ({@code serve --allowed-signers}) is checked
 * here too at start, so a key block that Bouncy Castle cannot read refuses to start instead of
 * refusing every revision later.
 */
public final class AllowedSignerKeys {
  private AllowedSignerKeys() {}

  /** Why {@code signer}'s key cannot be used to check a signature, or empty when it can. */
  public static Optional<String> unusable(AllowedSigner signer) {
    return switch (signer.format()) {
      case OPENPGP -> openPgp(signer);
      case SSH -> SshCommitSignature.fingerprint(signer.publicKey()) == null
          ? Optional.of("the SSH public key cannot be read") : Optional.empty();
    };
  }

  private static Optional<String> openPgp(AllowedSigner signer) {
    try {
      if (!OpenPgpCommitSignature.keys(signer).getKeyRings().hasNext()) {
        return Optional.of("the OpenPGP key block holds no public key");
      }
      return Optional.empty();
    } catch (IOException | PGPException | RuntimeException e) {
      return Optional.of("the OpenPGP key block cannot be read: " + e.getMessage());
    }
  }
}
