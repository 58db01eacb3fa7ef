package dev.flotilla.git;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Credentials and the SSH session factory for one remote, applied to every JGit transport command.
 * Knows the token so that it can keep it out of messages ({@link #redact}).
 */
final class TransportSetup implements AutoCloseable {
  private final CredentialsProvider credentials;
  private final SshdSessionFactory ssh;
  private final String secret;

  private TransportSetup(CredentialsProvider credentials, SshdSessionFactory ssh, String secret) {
    this.credentials = credentials;
    this.ssh = ssh;
    this.secret = secret;
  }

  static TransportSetup of(RemoteUrl url, GitAuth auth, Map<String, String> environment)
      throws GitSyncException {
    String token = auth.hasToken() ? readToken(url, auth, environment) : url.embeddedPassword();
    if (token != null && url.isPlainHttp() && !auth.allowInsecureHttp()) {
      throw new GitSyncException(url.display(), null, GitSyncException.Reason.AUTHENTICATION,
          "refusing to send a token over plain http://, where anyone on the way can read it: use https://, or"
              + " --allow-insecure-http if this network is trusted");
    }
    CredentialsProvider credentials = null;
    if (token != null && url.isHttp()) {
      String user = auth.hasToken() || url.embeddedUser() == null
          ? auth.effectiveUsername() : url.embeddedUser();
      credentials = new UsernamePasswordCredentialsProvider(user, token);
    }
    SshdSessionFactory ssh = url.isSsh() && auth.sshKey() != null ? sshFactory(auth) : null;
    return new TransportSetup(credentials, ssh, token);
  }

  private static String readToken(RemoteUrl url, GitAuth auth, Map<String, String> environment)
      throws GitSyncException {
    if (auth.tokenEnv() != null) {
      String value = environment.get(auth.tokenEnv());
      if (value == null || value.isBlank()) {
        throw new GitSyncException(url.display(), null, GitSyncException.Reason.AUTHENTICATION,
            "environment variable " + auth.tokenEnv() + " holding the token is not set");
      }
      return value.trim();
    }
    try {
      return Files.readString(auth.tokenFile(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new GitSyncException(url.display(), null, GitSyncException.Reason.AUTHENTICATION,
          "cannot read token file " + auth.tokenFile() + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private static SshdSessionFactory sshFactory(GitAuth auth) {
    File home = FS.DETECTED.userHome();
    SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
        .setHomeDirectory(home)
        .setSshDirectory(new File(home, ".ssh"))
        .setPreferredAuthentications("publickey")
        .setDefaultIdentities(sshDir -> List.of(auth.sshKey()));
    if (auth.knownHosts() != null) {
      Path knownHosts = auth.knownHosts();
      builder.setDefaultKnownHostsFiles(sshDir -> List.of(knownHosts));
    }
    return builder.build(null);
  }

  void applyTo(TransportCommand<?, ?> command) {
    if (credentials != null) {
      command.setCredentialsProvider(credentials);
    }
    if (ssh != null) {
      command.setTransportConfigCallback(transport -> {
        if (transport instanceof SshTransport sshTransport) {
          sshTransport.setSshSessionFactory(ssh);
        }
      });
    }
  }

  /** The text with the token, should a server or library have echoed it, blotted out. */
  String redact(String text) {
    if (text == null || secret == null || secret.isEmpty()) {
      return text;
    }
    return text.replace(secret, "***");
  }

  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
  }
}
