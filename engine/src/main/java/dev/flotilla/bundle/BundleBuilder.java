package dev.flotilla.bundle;

import java.util.List;

/**
 * Makes a bundle: packs the manifests deterministically, states what they are and signs the
 * statement. Ed25519 signatures are deterministic too, so equal content and key give equal bytes.
 */
public final class BundleBuilder {
  private final Signer signer;

  public BundleBuilder(Signer signer) {
    this.signer = signer;
  }

  public Bundle build(BundleContent content) {
    byte[] manifests = ManifestsArchive.pack(content.manifests());
    Statement statement = new Statement(content.site(), content.app(), content.revision(), content.sequence(),
        content.issuedAt(), content.expiresAt(), Sha256.hex(manifests));
    Envelope envelope = Envelope.sign(Statement.PAYLOAD_TYPE, statement.toJson(), List.of(signer));
    return new Bundle(envelope.toJson(), manifests);
  }
}
