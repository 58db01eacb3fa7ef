package dev.flotilla.bundle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether a site may apply a bundle, in the agent's order and failing closed: sizes; the
 * envelope's shape; a signature over DSSE's pre-authentication encoding by a trusted, unrevoked key
 * valid now (before the payload is parsed); the payload type; the statement; the site; the
 * sequence against what is installed; expiry; the manifests' digest; the archive's paths.
 */
public final class BundleVerifier {
  private final TrustDocument trust;
  private final Limits limits;

  public BundleVerifier(TrustDocument trust, Limits limits) {
    this.trust = trust;
    this.limits = limits;
  }

  /** Reads and verifies a bundle folder or {@code .tar}; only a missing or unreadable path throws. */
  public Verification verify(Path bundle, String site, Installed installed, Instant now) throws BundleException {
    try {
      return verify(BundleFiles.read(bundle, limits), site, installed, now);
    } catch (Rejection r) {
      return Verification.rejected(r);
    }
  }

  public Verification verify(Bundle bundle, String site, Installed installed, Instant now) {
    try {
      return check(bundle, site, installed, now);
    } catch (Rejection r) {
      return Verification.rejected(r);
    }
  }

  private Verification check(Bundle bundle, String site, Installed installed, Instant now) throws Rejection {
    byte[] envelopeJson = bundle.envelopeJson();
    byte[] manifests = bundle.manifestsTarGz();
    if (envelopeJson.length > limits.maxEnvelopeBytes()) throw new Rejection(RejectReason.TOO_LARGE, "envelope.json has " + envelopeJson.length + " bytes, at most " + limits.maxEnvelopeBytes() + " allowed");
    if (manifests.length > limits.maxArchiveBytes()) throw new Rejection(RejectReason.TOO_LARGE, "manifests.tar.gz has " + manifests.length + " bytes, at most " + limits.maxArchiveBytes() + " allowed");

    Envelope envelope = Envelope.parse(envelopeJson);
    new BundleSignatures(trust).requireTrustedSignature(envelope, now);
    if (!envelope.payloadType().equals(Statement.PAYLOAD_TYPE)) {
      throw new Rejection(RejectReason.WRONG_PAYLOAD_TYPE, "expected " + Statement.PAYLOAD_TYPE + ", got " + envelope.payloadType());
    }
    byte[] payload = envelope.payload();
    Statement statement = Statement.parse(payload);
    String statementSha256 = Sha256.hex(payload);

    if (!statement.site().equals(site)) throw new Rejection(RejectReason.WRONG_SITE, "made for site " + statement.site() + ", this is " + site);
    if (statement.sequence() == installed.sequence() && statementSha256.equals(installed.statementSha256())) {
      return new Verification.AlreadyInstalled(statement);
    }
    if (statement.sequence() == installed.sequence() && installed.statementSha256() != null) {
      throw new Rejection(RejectReason.CONFLICTING_SEQUENCE, "sequence " + statement.sequence() + " of " + statement.app()
          + " is installed with statement sha256 " + installed.statementSha256() + ", this one is " + statementSha256);
    }
    if (statement.sequence() <= installed.sequence()) {
      throw new Rejection(RejectReason.STALE_SEQUENCE, "sequence " + statement.sequence() + " of " + statement.app()
          + ", installed " + installed.sequence());
    }
    if (!now.isBefore(statement.expiresAt())) throw new Rejection(RejectReason.EXPIRED, "expired at " + statement.expiresAt() + ", now " + now);

    String digest = Sha256.hex(manifests);
    if (!MessageDigest.isEqual(digest.getBytes(StandardCharsets.US_ASCII), statement.manifestsSha256().getBytes(StandardCharsets.US_ASCII))) {
      throw new Rejection(RejectReason.DIGEST_MISMATCH, "manifests.tar.gz has sha256 " + digest + ", the statement says "
          + statement.manifestsSha256() + " (a corrupt or truncated download?)");
    }
    Map<String, byte[]> files = ManifestsArchive.unpack(manifests, limits);
    return new Verification.Accepted(statement, statementSha256, new TreeMap<>(files));
  }
}
