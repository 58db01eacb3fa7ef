package dev.flotilla.bundle;

/** Why a bundle or a trust document was not accepted; {@link #code()} is stable for scripts and reports. */
public enum RejectReason {
  TOO_LARGE("too-large", "the bundle is larger than allowed"),
  TRUNCATED("truncated", "the bundle is incomplete"),
  MALFORMED("malformed", "the bundle is not well-formed"),
  WRONG_PAYLOAD_TYPE("wrong-payload-type", "the envelope's payload type is not the expected one"),
  BAD_SIGNATURE("bad-signature", "no signature verifies"),
  UNKNOWN_KEY("unknown-key", "signed by a key that is not trusted"),
  REVOKED_KEY("revoked-key", "signed by a revoked key"),
  EXPIRED_KEY("expired-key", "signed by a key outside its validity period"),
  WRONG_SITE("wrong-site", "the bundle is for another site"),
  EXPIRED("expired", "the statement has expired"),
  STALE_SEQUENCE("stale-sequence", "the sequence is not above the installed one"),
  CONFLICTING_SEQUENCE("conflicting-sequence", "ATTACK: the installed sequence with other content"),
  DIGEST_MISMATCH("digest-mismatch", "the manifests do not match the signed digest"),
  UNSAFE_PATH("unsafe-path", "an archive entry is not a plain file inside its folder"),
  BELOW_THRESHOLD("below-threshold", "too few distinct root keys signed the trust document"),
  VERSION_GAP("version-gap", "the trust document is not the next version");

  private final String code;
  private final String text;

  RejectReason(String code, String text) {
    this.code = code;
    this.text = text;
  }

  public String code() {
    return code;
  }

  public String text() {
    return text;
  }

  /** True for the outcomes an agent must report as an attack, not only log. */
  public boolean isAttack() {
    return this == CONFLICTING_SEQUENCE;
  }
}
