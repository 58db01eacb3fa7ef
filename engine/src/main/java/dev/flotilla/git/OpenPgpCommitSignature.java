package dev.flotilla.git;

import dev.flotilla.fleet.AllowedSigner;
import dev.flotilla.fleet.SignedCommits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Checks an OpenPGP commit signature with Bouncy Castle against the public keys listed in {@code
 * requireSignedCommits}. JGit's own verifier ({@code org.eclipse.jgit.gpg.bc}) looks keys up in the
 * user's GnuPG keyring; the keys that count here are the fleet's list, so the signature is matched
 * to a listed key (primary or subkey) by its issuer and verified directly.
 */
final class OpenPgpCommitSignature {
  private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

  private OpenPgpCommitSignature() {}

  static SignatureVerdict check(String commit, byte[] signed, byte[] armored, SignedCommits policy) throws IOException {
    List<AllowedSigner> allowed = policy.allowedSigners();
    String shortId = SignatureVerdict.shortId(commit);
    PGPSignature signature = read(armored);
    if (signature == null) {
      return new SignatureVerdict.Refused(commit, "commit " + shortId + " has an OpenPGP signature that cannot be read");
    }
    String issuer = issuer(signature);
    List<String> unreadable = new ArrayList<>();
    for (AllowedSigner signer : allowed) {
      if (signer.format() != AllowedSigner.Format.OPENPGP) continue;
      PGPPublicKey key;
      try {
        key = keys(signer).getPublicKey(signature.getKeyID());
      } catch (IOException | PGPException e) {
        unreadable.add(signer.name() + " (" + e.getMessage() + ")");
        continue;
      }
      if (key == null) continue;
      String fingerprint = hex(key.getFingerprint());
      if (key.hasRevocation()) {
        return new SignatureVerdict.Refused(commit, "commit " + shortId + " is signed by OpenPGP key " + fingerprint + " of "
            + signer.name() + ", which is revoked");
      }
      if (!verifies(signature, key, signed)) {
        return new SignatureVerdict.Refused(commit, "commit " + shortId + " has an OpenPGP signature by key " + fingerprint
            + " of " + signer.name() + " that does not match the commit (altered after signing, or a broken signature)");
      }
      return new SignatureVerdict.Trusted(commit, signer.name(), "openpgp " + fingerprint);
    }
    return new SignatureVerdict.Refused(commit, "commit " + shortId + " is signed by OpenPGP key " + issuer
        + ", which is not in " + policy.origin().description() + " (allowed: " + CommitSignatures.names(allowed) + ")"
        + (unreadable.isEmpty() ? "" : "; unreadable keys: " + String.join(", ", unreadable)));
  }

  private static PGPSignature read(byte[] armored) throws IOException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      Object object = new JcaPGPObjectFactory(in).nextObject();
      if (object instanceof PGPSignatureList list && !list.isEmpty()) return list.get(0);
      return null;
    } catch (IOException | RuntimeException e) {
      // A garbled signature is the commit's problem, not an I/O failure of the engine.
      return null;
    }
  }

  static PGPPublicKeyRingCollection keys(AllowedSigner signer) throws IOException, PGPException {
    byte[] text = signer.publicKey().getBytes(StandardCharsets.US_ASCII);
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(text))) {
      return new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
    }
  }

  private static boolean verifies(PGPSignature signature, PGPPublicKey key, byte[] signed) {
    try {
      signature.init(new JcaPGPContentVerifierBuilderProvider().setProvider(PROVIDER), key);
      signature.update(signed);
      return signature.verify();
    } catch (PGPException | RuntimeException e) {
      return false;
    }
  }

  /** The signing key's fingerprint when the signature names it (OpenPGP v4 and later), else its key id. */
  private static String issuer(PGPSignature signature) {
    IssuerFingerprint fingerprint = signature.getHashedSubPackets() == null ? null
        : signature.getHashedSubPackets().getIssuerFingerprint();
    if (fingerprint != null) return hex(fingerprint.getFingerprint());
    return String.format(Locale.ROOT, "%016X", signature.getKeyID());
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }
}
