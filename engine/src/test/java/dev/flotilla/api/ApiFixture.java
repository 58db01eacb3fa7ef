package dev.flotilla.api;

import dev.flotilla.engine.FleetOperations;
import dev.flotilla.engine.NotFoundException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.view.AuditView;
import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.SiteView;
import dev.flotilla.engine.view.SyncView;
import dev.flotilla.store.Database;
import dev.flotilla.store.DatabaseSettings;
import dev.flotilla.store.JdbcAuditLog;
import dev.flotilla.store.JdbcTokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An API server for tests of the HTTP surface: the real routes, guard, token store (H2 in memory)
 * and error mapping, in front of a {@link RecordingOperations} that records every call reaching
 * the engine's service, so a test can tell that a refused request changed nothing.
 */
final class ApiFixture implements AutoCloseable {
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Database db;
  final AccessTokens tokens;
  final RecordingOperations ops = new RecordingOperations();
  final HttpServer server;

  /** {@code listenHost} is the address the guard believes it serves (the socket is always on 127.0.0.1). */
  ApiFixture(String listenHost, List<String> allowedHosts, RouteTable extra) throws StoreException {
    db = Database.open(DatabaseSettings.of("jdbc:h2:mem:api-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""));
    tokens = new AccessTokens(new JdbcTokens(db.transactions()), new JdbcAuditLog(db.transactions()), Clock.systemUTC());
    RouteTable api = new ApiRoutes(ops, tokens);
    server = HttpServer.start("127.0.0.1", 0, routes -> {
      api.addTo(routes);
      if (extra != null) extra.addTo(routes);
    }, Json.mapper(), AccessGuard.of(tokens, listenHost, allowedHosts));
  }

  ApiFixture() throws StoreException {
    this("127.0.0.1", List.of(), null);
  }

  String token(String name, Role role) throws Exception {
    return tokens.create(name, role, "test").secret();
  }

  HttpResponse<String> send(String method, String path, String token, String contentType, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (contentType != null) b.header("Content-Type", contentType);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A raw HTTP/1.1 request with the given Host header (Java's client will not send a chosen one); returns status line and headers and body. */
  String raw(String method, String path, String host, String... headers) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
      for (String h : headers) request.append(h).append("\r\n");
      request.append("Content-Length: 0\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder response = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) response.append(line).append('\n');
      return response.toString();
    }
  }

  URI uri() {
    return server.uri();
  }

  @Override
  public void close() {
    server.close();
    db.close();
  }

  /** The engine's service, recording what reaches it: commands and syncs, with the request they got. */
  static final class RecordingOperations implements FleetOperations {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<CommandRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public List<RolloutView> list(int offset, int limit) {
      return List.of();
    }

    @Override
    public RolloutView get(String id) throws NotFoundException {
      throw new NotFoundException("no rollout " + id);
    }

    @Override
    public RolloutView command(String id, String command, CommandRequest request) throws NotFoundException {
      calls.add(command + " " + id);
      requests.add(request);
      throw new NotFoundException("no rollout " + id);
    }

    @Override
    public List<SiteView> sites() {
      return List.of();
    }

    @Override
    public List<AuditView> audit(String rolloutId, int limit, long afterSeq) {
      return List.of();
    }

    @Override
    public String syncNow() {
      calls.add("sync");
      return "abc123";
    }

    @Override
    public SyncView syncStatus(int limit) {
      return new SyncView("repo", "main", "abc123", null, null);
    }
  }
}
