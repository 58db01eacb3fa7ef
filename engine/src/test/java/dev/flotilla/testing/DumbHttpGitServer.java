package dev.flotilla.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bare repository served on 127.0.0.1 as Git's "dumb HTTP" protocol (plain files) behind HTTP
 * Basic auth that accepts one user and token. Run {@link #updateServerInfo} after every push, as a
 * dumb server needs {@code info/refs} and {@code objects/info/packs}.
 */
public final class DumbHttpGitServer implements AutoCloseable {
  private final HttpServer server;
  private final Path repository;
  private final String expectedAuthorization;
  private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

  private DumbHttpGitServer(HttpServer server, Path repository, String user, String token) {
    this.server = server;
    this.repository = repository.toAbsolutePath().normalize();
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
  }

  /** Serves {@code bareRepository} at {@code /<its folder name>} for {@code user} and {@code token}. */
  public static DumbHttpGitServer serve(Path bareRepository, String user, String token) {
    try {
      HttpServer http = HttpServer.create(
          new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      DumbHttpGitServer server = new DumbHttpGitServer(http, bareRepository, user, token);
      http.createContext("/" + bareRepository.getFileName(), server::handle);
      http.start();
      updateServerInfo(bareRepository);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the HTTP server", e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository.getFileName();
  }

  /** Runs the real {@code git update-server-info} in the served repository. */
  public static void updateServerInfo(Path bareRepository) {
    try {
      Process process = new ProcessBuilder(List.of("git", "update-server-info"))
          .directory(bareRepository.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("git update-server-info failed: " + output);
      }
    } catch (IOException e) {
      throw new AssertionError("git is not on the PATH; install git: apt-get install git", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** How many requests the server has received. */
  public int requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fleet\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String prefix = "/" + repository.getFileName() + "/";
      String path = exchange.getRequestURI().getPath();
      Path file = path.startsWith(prefix)
          ? repository.resolve(path.substring(prefix.length())).normalize() : null;
      if (file == null || !file.startsWith(repository) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      // Plain content type: the client falls back from smart to dumb HTTP.
      exchange.getResponseHeaders().add("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
