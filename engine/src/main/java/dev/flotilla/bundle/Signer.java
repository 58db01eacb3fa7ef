package dev.flotilla.bundle;

/**
 * What signs envelopes: a key held in memory ({@link SigningKey}) or, pluggably, one held elsewhere
 * (a hardware module, a cloud KMS). It signs DSSE's pre-authentication encoding, never a payload
 * alone.
 */
public interface Signer {
  /** The key id of the public half: hex SHA-256 of its 32 raw bytes. */
  String keyId();

  /** A 64-byte Ed25519 signature of {@code message}. */
  byte[] sign(byte[] message);
}
