package dev.flotilla.fleet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code fleet.yaml}'s {@code requireSignedCommits}, and the same list in an engine's {@code
 * --allowed-signers} file ({@link AllowedSignersFile}). Checks the shape of each key (an armored
 * OpenPGP public key block; an OpenSSH public key line whose blob names its own type), so a pasted
 * private key, a fingerprint or a truncated line is a problem at its line; whether an OpenPGP key
 * block holds a usable key is for the Git adapter, which reads it with Bouncy Castle.
 */
final class SignedCommitsReader {
  static final Set<String> SSH_KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
      "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");
  private static final String PGP_PUBLIC_BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
  private static final String PGP_PUBLIC_END = "-----END PGP PUBLIC KEY BLOCK-----";

  private SignedCommitsReader() {}

  static Optional<SignedCommits> read(Fields spec) {
    if (!spec.has("requireSignedCommits")) return Optional.empty();
    Fields required = spec.object("requireSignedCommits", false);
    if (!required.isPresent()) {
      spec.problem("requireSignedCommits", "expected a mapping with allowedSigners");
      return Optional.empty();
    }
    return Optional.of(new SignedCommits(allowedSigners(required, SignedCommits.Origin.FLEET_REPO), SignedCommits.Origin.FLEET_REPO));
  }

  /**
   * The {@code allowedSigners} of a mapping that holds only that field: {@code requireSignedCommits}
   * in {@code fleet.yaml}, or the whole of an {@code --allowed-signers} file. Problems are added
   * at their line; the signers read without problems are returned.
   */
  static List<AllowedSigner> allowedSigners(Fields required, SignedCommits.Origin origin) {
    List<Fields> entries = required.objects("allowedSigners", true);
    required.rejectUnknown("allowedSigners");
    if (required.has("allowedSigners") && entries.isEmpty()) {
      required.problem("allowedSigners", origin.description() + " needs at least one allowed signer");
    }
    List<AllowedSigner> signers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Fields entry : entries) {
      AllowedSigner signer = signer(entry);
      if (signer == null) continue;
      if (!names.add(signer.name())) {
        entry.problem("name", "duplicate allowed signer '" + signer.name() + "'");
        continue;
      }
      signers.add(signer);
    }
    return signers;
  }

  private static AllowedSigner signer(Fields entry) {
    String name = entry.string("name", true);
    String openpgp = entry.string("openpgp", false);
    String ssh = entry.string("ssh", false);
    entry.rejectUnknown("name", "openpgp", "ssh");
    if (name != null) {
      String bad = Names.checkDns1123Label(name);
      if (bad != null) entry.problem("name", bad);
    }
    if (openpgp != null && ssh != null) {
      entry.problem("ssh", "an allowed signer has one key, openpgp or ssh, not both");
      return null;
    }
    if (openpgp == null && ssh == null) {
      String field = entry.has("openpgp") ? "openpgp" : entry.has("ssh") ? "ssh" : "name";
      entry.problem(field, "an allowed signer needs one key: openpgp (an armored public key) or ssh (an OpenSSH public key line)");
      return null;
    }
    String problem = openpgp != null ? checkOpenPgp(openpgp) : checkSsh(ssh);
    if (problem != null) {
      entry.problem(openpgp != null ? "openpgp" : "ssh", problem);
      return null;
    }
    if (name == null || Names.checkDns1123Label(name) != null) return null;
    return openpgp != null
        ? new AllowedSigner(name, AllowedSigner.Format.OPENPGP, openpgp.strip() + "\n")
        : new AllowedSigner(name, AllowedSigner.Format.SSH, ssh.strip());
  }

  /** Why the text is not an ASCII-armored OpenPGP public key block, or null. */
  static String checkOpenPgp(String text) {
    if (text.contains("PRIVATE KEY BLOCK")) {
      return "this is a private key; give the public key (gpg --armor --export <key>) and keep the private key secret";
    }
    int begin = text.indexOf(PGP_PUBLIC_BEGIN);
    if (begin < 0 || text.indexOf(PGP_PUBLIC_END, begin) < 0) {
      return "expected an ASCII-armored OpenPGP public key (" + PGP_PUBLIC_BEGIN + " ... " + PGP_PUBLIC_END
          + ", from gpg --armor --export <key>), got '" + Names.shorten(text.strip()) + "'";
    }
    return null;
  }

  /** Why the text is not an OpenSSH public key line ({@code <type> <base64> [comment]}), or null. */
  static String checkSsh(String text) {
    if (text.contains("PRIVATE KEY")) {
      return "this is a private key; give the public key (the .pub file) and keep the private key secret";
    }
    String[] parts = text.strip().split("\\s+", 3);
    if (parts.length < 2 || !SSH_KEY_TYPES.contains(parts[0])) {
      return "expected an OpenSSH public key such as 'ssh-ed25519 AAAA... name' (one of "
          + String.join(", ", new java.util.TreeSet<>(SSH_KEY_TYPES)) + "), got '" + Names.shorten(text.strip()) + "'";
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      return "the key of type " + parts[0] + " is not valid base64: " + e.getMessage();
    }
    // The blob starts with its own type as an SSH string: a truncated or mixed-up line fails here.
    ByteBuffer buffer = ByteBuffer.wrap(blob);
    if (blob.length < 4) return "the key of type " + parts[0] + " is truncated";
    int length = buffer.getInt();
    if (length < 0 || length > buffer.remaining()) return "the key of type " + parts[0] + " is truncated";
    byte[] type = new byte[length];
    buffer.get(type);
    String inner = new String(type, StandardCharsets.US_ASCII);
    if (!inner.equals(parts[0])) return "the line says " + parts[0] + " but its key is of type '" + Names.shorten(inner) + "'";
    if (!buffer.hasRemaining()) return "the key of type " + parts[0] + " is truncated";
    return null;
  }
}
