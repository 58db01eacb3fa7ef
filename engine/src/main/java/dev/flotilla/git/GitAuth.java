package dev.flotilla.git;

import java.nio.file.Path;

/**
 * How to authenticate to a remote fleet repo. Holds where secrets are, never the secrets.
 *
 * <p>HTTP(S): a token read from the environment variable {@code tokenEnv} or from the file {@code
 * tokenFile} (trimmed) is sent as the password of HTTP Basic auth, with {@code username} (default
 * {@value #DEFAULT_USERNAME}, which GitHub and Gitea accept; GitLab wants {@code oauth2}).
 *
 * <p>SSH ({@code ssh://} and {@code git@host:path}): the private key file {@code sshKey} and the
 * OpenSSH {@code known_hosts} file {@code knownHosts} that must list the server's host key; a host
 * not listed there is refused. Without them, the user's {@code ~/.ssh} defaults apply.
 *
 * @param tokenEnv name of the environment variable holding the token, or null
 * @param tokenFile file holding the token, or null
 * @param username HTTP user name sent with the token, or null for the default
 * @param sshKey private key file for SSH, or null
 * <p>A token (or a password in the URL) is never sent over plain {@code http://}, where anyone on
 * the path reads it, unless {@code allowInsecureHttp} ({@code --allow-insecure-http}) says so.
 *
 * @param knownHosts known_hosts file for SSH, or null
 * @param allowInsecureHttp send credentials over plain http:// too
 */
public record GitAuth(
    String tokenEnv, Path tokenFile, String username, Path sshKey, Path knownHosts, boolean allowInsecureHttp) {
  public static final String DEFAULT_USERNAME = "x-access-token";

  /** Anonymous access (or, for SSH, the user's defaults). */
  public static final GitAuth NONE = new GitAuth(null, null, null, null, null);

  public GitAuth {
    if (tokenEnv != null && tokenFile != null) {
      throw new IllegalArgumentException("give the token either as tokenEnv or as tokenFile");
    }
  }

  /** Credentials are sent over HTTPS only. */
  public GitAuth(String tokenEnv, Path tokenFile, String username, Path sshKey, Path knownHosts) {
    this(tokenEnv, tokenFile, username, sshKey, knownHosts, false);
  }

  /** The same, also sending credentials over plain http:// (a test server on loopback, a lab). */
  public GitAuth allowingInsecureHttp() {
    return new GitAuth(tokenEnv, tokenFile, username, sshKey, knownHosts, true);
  }

  public static GitAuth tokenFromEnv(String variable) {
    return new GitAuth(variable, null, null, null, null);
  }

  public static GitAuth tokenFromFile(Path file) {
    return new GitAuth(null, file, null, null, null);
  }

  public static GitAuth sshKey(Path privateKey, Path knownHosts) {
    return new GitAuth(null, null, null, privateKey, knownHosts);
  }

  public GitAuth withUsername(String name) {
    return new GitAuth(tokenEnv, tokenFile, name, sshKey, knownHosts, allowInsecureHttp);
  }

  public boolean hasToken() {
    return tokenEnv != null || tokenFile != null;
  }

  public String effectiveUsername() {
    return username == null || username.isBlank() ? DEFAULT_USERNAME : username;
  }

  @Override
  public String toString() {
    // Only where secrets come from; records print every component, so say so explicitly.
    return "GitAuth[tokenEnv=" + tokenEnv + ", tokenFile=" + tokenFile + ", username=" + username
        + ", sshKey=" + sshKey + ", knownHosts=" + knownHosts + ", allowInsecureHttp=" + allowInsecureHttp + "]";
  }
}
