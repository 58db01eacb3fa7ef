package dev.flotilla.git;

import dev.flotilla.fleet.AllowedSigner;
import dev.flotilla.fleet.SignedCommits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory;

/**
 * Checks an SSH commit signature ({@code gpg.format=ssh}) with JGit's SSH signature verifier. That
 * verifier takes its keys from an OpenSSH allowed-signers file, so the listed keys are written to
 * one, named by the hash of its content (a changed list is a new file, never a stale one), with the
 * principal {@code *}: who signed is decided here from the key's fingerprint, not from the
 * committer's e-mail address, which the commit's author chooses freely.
 */
final class SshCommitSignature {
  private final Repository repository;
  private final Path allowedSignersDir;

  SshCommitSignature(Repository repository, Path allowedSignersDir) {
    this.repository = repository;
    this.allowedSignersDir = allowedSignersDir;
  }

  SignatureVerdict check(String commit, byte[] signed, byte[] signature, SignedCommits policy) throws IOException {
    List<AllowedSigner> allowed = policy.allowedSigners();
    String shortId = SignatureVerdict.shortId(commit);
    Map<String, String> byFingerprint = new LinkedHashMap<>();
    StringBuilder file = new StringBuilder();
    for (AllowedSigner signer : allowed) {
      if (signer.format() != AllowedSigner.Format.SSH) continue;
      String fingerprint = fingerprint(signer.publicKey());
      if (fingerprint == null) continue;
      byFingerprint.putIfAbsent(fingerprint, signer.name());
      String[] parts = signer.publicKey().strip().split("\\s+");
      file.append("* namespaces=\"git\" ").append(parts[0]).append(' ').append(parts[1]).append('\n');
    }
    Config config = new Config();
    config.setString("gpg", "ssh", "allowedSignersFile", allowedSignersFile(file.toString()).toString());
    SignatureVerifier verifier = new SshSignatureVerifierFactory().create();
    SignatureVerifier.SignatureVerification result = verifier.verify(repository, new GpgConfig(config), signed, signature);
    String key = result.keyFingerprint();
    if (key == null) {
      return new SignatureVerdict.Refused(commit, "commit " + shortId + " has an SSH signature that cannot be read: " + result.message());
    }
    String signer = byFingerprint.get(key);
    if (signer == null) {
      return new SignatureVerdict.Refused(commit, "commit " + shortId + " is signed by SSH key " + key
          + ", which is not in " + policy.origin().description() + " (allowed: " + CommitSignatures.names(allowed) + ")");
    }
    if (!result.verified()) {
      return new SignatureVerdict.Refused(commit, "commit " + shortId + " has an SSH signature by key " + key + " of " + signer
          + " that does not verify (altered after signing, or a broken signature)" + (result.message() == null ? "" : ": " + result.message()));
    }
    return new SignatureVerdict.Trusted(commit, signer, key);
  }

  /** {@code SHA256:...} of an OpenSSH public key line; null when it cannot be read (the fleet reader checked its shape). */
  static String fingerprint(String line) {
    try {
      PublicKey key = PublicKeyEntry.parsePublicKeyEntry(line.strip()).resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
      return key == null ? null : KeyUtils.getFingerPrint(key);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  private Path allowedSignersFile(String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Path file = allowedSignersDir.resolve("allowed-signers-" + sha256(bytes).substring(0, 16));
    if (Files.exists(file)) return file;
    Files.createDirectories(allowedSignersDir);
    Path temp = Files.createTempFile(allowedSignersDir, "allowed-signers", ".tmp");
    Files.write(temp, bytes);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
