package dev.flotilla.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The operator's key folder behind {@code flotilla keys}: encrypted root keys ({@code root-N.key}),
 * encrypted signing keys ({@code signing-<keyid>.key} with {@code .pub}), the current
 * {@code trust.json}, and every version under {@code trust/<version>.json} so an agent that missed
 * versions can be given the chain. Each change writes the next version, signed by every root key
 * present; moving root keys elsewhere (to other people) leaves too few and the change is refused.
 */
public final class KeyDirectory {
  private final Path dir;
  private final KeyFile keyFile;
  private final Clock clock;
  private final SecureRandom random;

  public KeyDirectory(Path dir, KeyFile keyFile, Clock clock, SecureRandom random) {
    this.dir = dir;
    this.keyFile = keyFile;
    this.clock = clock;
    this.random = random;
  }

  public Path trustFile() {
    return dir.resolve("trust.json");
  }

  public Path signingKeyFile(String keyId) {
    return dir.resolve("signing-" + keyId.substring(0, 16) + ".key");
  }

  public TrustDocument current() throws BundleException {
    return new TrustStore(trustFile()).load();
  }

  /** A new folder: {@code roots} root keys, {@code threshold} of which sign changes, and one signing key. */
  public TrustDocument generate(int roots, int threshold, Duration validity, char[] passphrase) throws BundleException {
    if (Files.exists(trustFile())) throw new BundleException(trustFile() + " exists: refusing to replace a trust root");
    List<SigningKey> rootKeys = new ArrayList<>();
    for (int i = 1; i <= roots; i++) {
      SigningKey root = SigningKey.generate(random);
      keyFile.writeSigningKey(dir.resolve("root-" + i + ".key"), root, passphrase);
      KeyFile.writePublicKey(dir.resolve("root-" + i + ".pub"), root.publicKey());
      rootKeys.add(root);
    }
    TrustedKey signing = newSigningKey(validity, passphrase);
    TrustDocument doc = new TrustDocument(1, threshold, rootKeys.stream().map(SigningKey::publicKey).toList(), List.of(signing), Set.of());
    byte[] envelope = doc.sign(rootKeys).toJson();
    new TrustStore(trustFile()).install(envelope);
    writeHistory(doc.version(), envelope);
    return doc;
  }

  /** A new signing key; the others stay valid for {@code grace} at most, so bundles signed by either verify meanwhile. */
  public TrustDocument rotate(Duration grace, Duration validity, char[] passphrase) throws BundleException {
    TrustDocument current = current();
    Instant now = now();
    Instant graceEnd = now.plus(grace);
    List<TrustedKey> keys = new ArrayList<>();
    for (TrustedKey k : current.signingKeys()) {
      if (!k.notAfter().isAfter(now)) continue;
      keys.add(k.notAfter().isAfter(graceEnd) && graceEnd.isAfter(k.notBefore()) ? k.withNotAfter(graceEnd) : k);
    }
    keys.add(newSigningKey(validity, passphrase));
    return publish(current.withSigningKeys(keys), passphrase);
  }

  /** Revokes a signing key for good (by its key id or a unique prefix of it). */
  public TrustDocument revoke(String keyIdOrPrefix, char[] passphrase) throws BundleException {
    TrustDocument current = current();
    List<TrustedKey> matches = current.signingKeys().stream().filter(k -> k.keyId().startsWith(keyIdOrPrefix)).toList();
    String keyId;
    if (matches.size() == 1) {
      keyId = matches.get(0).keyId();
    } else if (keyIdOrPrefix.matches("[0-9a-f]{64}")) {
      keyId = keyIdOrPrefix;
    } else {
      throw new BundleException(matches.isEmpty() ? "no signing key " + keyIdOrPrefix + " in " + trustFile()
          : "key id prefix " + keyIdOrPrefix + " matches " + matches.size() + " keys; give more of it");
    }
    if (current.isRevoked(keyId)) throw new BundleException("key " + keyId + " is already revoked");
    return publish(current.withRevoked(keyId), passphrase);
  }

  private TrustedKey newSigningKey(Duration validity, char[] passphrase) throws BundleException {
    SigningKey key = SigningKey.generate(random);
    keyFile.writeSigningKey(signingKeyFile(key.keyId()), key, passphrase);
    KeyFile.writePublicKey(dir.resolve("signing-" + key.keyId().substring(0, 16) + ".pub"), key.publicKey());
    Instant now = now();
    return new TrustedKey(key.publicKey(), now, now.plus(validity));
  }

  /** Signs the next version with the root keys present, offers it to the current trust store, keeps it in the history. */
  private TrustDocument publish(TrustDocument next, char[] passphrase) throws BundleException {
    List<SigningKey> roots = rootKeys(passphrase);
    byte[] envelope = next.sign(roots).toJson();
    TrustUpdate result = new TrustStore(trustFile()).update(envelope);
    if (result instanceof TrustUpdate.Rejected r) {
      throw new BundleException("trust version " + next.version() + " not accepted: " + r.message());
    }
    writeHistory(next.version(), envelope);
    return next;
  }

  private List<SigningKey> rootKeys(char[] passphrase) throws BundleException {
    List<SigningKey> roots = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("root-.*\\.key")).sorted().toList()) {
        roots.add(KeyFile.readSigningKey(f, passphrase));
      }
    } catch (IOException e) {
      throw new BundleException("cannot list " + dir, e);
    }
    return roots;
  }

  private void writeHistory(int version, byte[] envelope) throws BundleException {
    try {
      Files.createDirectories(dir.resolve("trust"));
      AtomicFiles.write(dir.resolve("trust").resolve(version + ".json"), envelope);
    } catch (IOException e) {
      throw new BundleException("cannot write " + dir.resolve("trust"), e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
