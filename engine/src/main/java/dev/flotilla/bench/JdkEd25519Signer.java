package dev.flotilla.bench;

import dev.flotilla.bundle.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;

/**
 * The JDK's own Ed25519 ({@code SunEC}) behind the {@link Signer} port, only to measure it against
 * Bouncy Castle in {@code bench bundles}. One {@link Signature} per thread: they are not thread-safe.
 */
final class JdkEd25519Signer implements Signer {
  private final String keyId;
  private final PrivateKey key;
  private final ThreadLocal<Signature> signatures;

  JdkEd25519Signer(byte[] seed, String keyId) throws GeneralSecurityException {
    this.keyId = keyId;
    this.key = KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    this.signatures = ThreadLocal.withInitial(this::newSignature);
  }

  private Signature newSignature() {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      return s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has Ed25519 since 15", e);
    }
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      Signature s = signatures.get();
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
