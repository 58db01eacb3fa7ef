package dev.flotilla.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git daemon} serving every repository under a folder over {@code git://} on
 * 127.0.0.1, with pushes enabled. Fails with an install hint when {@code git} is not on the PATH.
 */
public final class GitDaemon implements AutoCloseable {
  private static final String LOOPBACK = "127.0.0.1";

  private final Process process;
  private final int port;

  private GitDaemon(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts serving {@code baseDir} and returns once the daemon accepts connections. */
  public static GitDaemon serve(Path baseDir, Path logFile) {
    requireGit();
    int port = freePort();
    List<String> argv = List.of("git", "daemon", "--reuseaddr", "--base-path=" + baseDir,
        "--export-all", "--enable=receive-pack", "--listen=" + LOOPBACK, "--port=" + port,
        baseDir.toString());
    try {
      Process process = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(logFile.toFile()).start();
      GitDaemon daemon = new GitDaemon(process, port);
      daemon.awaitListening(Duration.ofSeconds(15));
      return daemon;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv, e);
    }
  }

  /** The git:// URL of a repository under the base folder, e.g. {@code fleet.git}. */
  public String url(String repository) {
    return "git://" + LOOPBACK + ":" + port + "/" + repository;
  }

  public int port() {
    return port;
  }

  private static void requireGit() {
    try {
      Process version = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
      version.getInputStream().readAllBytes();
      if (version.waitFor() != 0) {
        throw new AssertionError("git --version failed; install git: apt-get install git");
      }
    } catch (IOException e) {
      throw new AssertionError("git is not on the PATH; install git: apt-get install git", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while checking for git", e);
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
        throw new IllegalStateException("git daemon exited with " + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
        return;
      } catch (IOException notYet) {
        sleep(Duration.ofMillis(100));
      }
    }
    close();
    throw new IllegalStateException("git daemon did not listen on port " + port + " in time");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the daemon and the upload-pack processes it forked. */
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
