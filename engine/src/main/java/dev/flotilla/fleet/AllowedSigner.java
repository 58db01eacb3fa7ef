package dev.flotilla.fleet;

import java.util.Objects;

/**
 * One key that may sign the fleet repo's revisions ({@code requireSignedCommits.allowedSigners}):
 * a name people recognise, and an OpenPGP public key (ASCII-armored) or an OpenSSH public key
 * ({@code ssh-ed25519 AAAA...}). The fleet model only holds the text; the Git adapter reads the
 * key and checks signatures with it.
 */
public record AllowedSigner(String name, Format format, String publicKey) {
  /** The two signature formats Git writes: {@code gpg.format=openpgp} (the default) and {@code ssh}. */
  public enum Format {
    OPENPGP, SSH;

    /** The field that holds a key of this format in {@code fleet.yaml}. */
    public String field() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public AllowedSigner {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(publicKey, "publicKey");
  }
}
