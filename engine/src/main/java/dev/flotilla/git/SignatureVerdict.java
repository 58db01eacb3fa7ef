package dev.flotilla.git;

/**
 * What a commit's signature says under a list of allowed signers ({@code requireSignedCommits}, or
 * the engine's pinned {@code --allowed-signers}): trusted, with the allowed
 * signer and the key that signed; or refused, with why in words a person can act on.
 */
public sealed interface SignatureVerdict permits SignatureVerdict.Trusted, SignatureVerdict.Refused {
  /** The full id of the commit judged. */
  String commit();

  /** Signed, the signature verifies, and its key is {@code signer}'s ({@code key}: its fingerprint). */
  record Trusted(String commit, String signer, String key) implements SignatureVerdict {}

  /** Not signed, signed by a key not allowed, or a signature that does not verify. */
  record Refused(String commit, String reason) implements SignatureVerdict {}

  /** The first 7 characters of a commit id, as Git shows it. */
  static String shortId(String commit) {
    return commit.length() > 7 ? commit.substring(0, 7) : commit;
  }
}
