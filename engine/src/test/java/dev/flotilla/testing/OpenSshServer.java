package dev.flotilla.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenSSH server ({@code /usr/sbin/sshd}, Debian's {@code openssh-server}) on a free port
 * of 127.0.0.1, with its own configuration, host key and {@code authorized_keys} in a test's
 * folder, letting in the user running the tests with one public key. Git over SSH then runs the
 * real {@code git-upload-pack} through that user's login shell. Fails, never skips, with an install
 * hint when sshd is missing.
 */
public final class OpenSshServer implements AutoCloseable {
  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final String LOOPBACK = "127.0.0.1";

  private final Process process;
  private final int port;
  private final String hostKey;
  private final Path log;

  private OpenSshServer(Process process, int port, String hostKey, Path log) {
    this.process = process;
    this.port = port;
    this.hostKey = hostKey;
    this.log = log;
  }

  /** Starts sshd in {@code dir}, letting in the current user with {@code authorizedKey} (a public key line). */
  public static OpenSshServer start(Path dir, String authorizedKey) {
    if (!Files.isExecutable(SSHD)) {
      throw new AssertionError(SSHD + " is missing: install Debian's OpenSSH server with"
          + " `apt-get install -y openssh-server` (ci/tools.sh does this for CI)");
    }
    try {
      Files.createDirectories(dir);
      // sshd's privilege separation folder; Debian's service creates it, a bare sshd does not.
      Files.createDirectories(Path.of("/run/sshd"));
      Path hostKeyFile = dir.resolve("ssh_host_ed25519_key");
      CommitSigning.run(dir, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "flotilla-test-host", "-f", hostKeyFile.toString()));
      Path authorizedKeys = Files.writeString(dir.resolve("authorized_keys"), authorizedKey.strip() + "\n");
      int port = freePort();
      String user = System.getProperty("user.name");
      Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
          "Port " + port,
          "ListenAddress " + LOOPBACK,
          "HostKey " + hostKeyFile,
          "PidFile " + dir.resolve("sshd.pid"),
          "AuthorizedKeysFile " + authorizedKeys,
          "StrictModes no",
          "UsePAM no",
          "PubkeyAuthentication yes",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "PermitRootLogin prohibit-password",
          "AllowUsers " + user,
          "LogLevel VERBOSE",
          ""));
      Path log = dir.resolve("sshd.log");
      Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      String hostKey = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).strip();
      OpenSshServer server = new OpenSshServer(process, port, hostKey, log);
      server.awaitListening(Duration.ofSeconds(15));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + SSHD, e);
    }
  }

  /** The ssh:// URL of a repository at an absolute path, as the current user. */
  public String url(Path repository) {
    return "ssh://" + System.getProperty("user.name") + "@" + LOOPBACK + ":" + port + repository.toAbsolutePath();
  }

  /** The {@code known_hosts} line that names this server's host key. */
  public String knownHostsLine() {
    return "[" + LOOPBACK + "]:" + port + " " + hostKey;
  }

  public int port() {
    return port;
  }

  /** What sshd logged so far, for a failing test's message. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + LOOPBACK, e);
    }
  }

  private void awaitListening(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("sshd exited with " + process.exitValue() + ": " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
    close();
    throw new IllegalStateException("sshd did not listen on port " + port + " in time: " + log());
  }

  /** Stops sshd and the sessions it forked. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
