package dev.flotilla.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The push benchmark's stand-in for many clusters: one HTTP server on loopback that answers the
 * Kubernetes API for every site under its own path prefix ({@code /sites/<site>/...}, as cluster
 * proxy URLs such as Rancher's do), each request after a fixed latency. It keeps what is applied
 * (server-side apply = store the object), answers reads and deletes, and plays the workload
 * controller: an applied Deployment is stored rolled out (generation observed, replicas
 * available). Not a Kubernetes API server: just enough for the push adapter's requests. Its threads
 * are named {@value #THREAD_PREFIX}... so the benchmark can leave them out of the engine's count.
 */
final class SlowApiServer implements AutoCloseable {
  static final String THREAD_PREFIX = "bench-apiserver-";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private final HttpServer server;
  private final ExecutorService threads;
  private final Duration latency;
  private final Map<String, Map<String, Object>> objects = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong notFound = new AtomicLong();
  private final AtomicLong uids = new AtomicLong();

  SlowApiServer(Duration latency, int threadCount) throws IOException {
    // The JDK server leaves Nagle's algorithm on: each answer would wait for a delayed ACK (~40 ms)
    // on top of the latency being simulated. Read once, before the first server of the process.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.latency = latency;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(threadCount, r -> {
      Thread t = new Thread(r, THREAD_PREFIX + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The API server URL of one site. */
  String url(String site) {
    return "http://127.0.0.1:" + port() + "/sites/" + site;
  }

  long requests() {
    return requests.get();
  }

  /** Objects stored for all sites. */
  int objects() {
    return objects.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      Thread.sleep(latency.toMillis());
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      answer(exchange, method, path, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void answer(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
    switch (method) {
      case "GET" -> {
        Map<String, Object> o = objects.get(path);
        if (o == null) {
          notFound.incrementAndGet();
          send(exchange, 404, status(404, "NotFound", path + " not found"));
        } else {
          send(exchange, 200, o);
        }
      }
      case "PATCH", "POST", "PUT" -> {
        Map<String, Object> o = YAML.readValue(new String(body, StandardCharsets.UTF_8), new TypeReference<LinkedHashMap<String, Object>>() {});
        String key = method.equals("POST") ? path + "/" + name(o) : path;
        Map<String, Object> stored = store(key, o);
        send(exchange, method.equals("POST") ? 201 : 200, stored);
      }
      case "DELETE" -> {
        Map<String, Object> gone = objects.remove(path);
        send(exchange, gone == null ? 404 : 200, status(gone == null ? 404 : 200, gone == null ? "NotFound" : "", "deleted"));
      }
      default -> send(exchange, 405, status(405, "MethodNotAllowed", method));
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> store(String key, Map<String, Object> o) {
    Map<String, Object> metadata = (Map<String, Object>) o.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    Map<String, Object> before = objects.get(key);
    long generation = before == null ? 1 : ((Number) ((Map<String, Object>) before.get("metadata")).get("generation")).longValue() + 1;
    metadata.put("generation", generation);
    metadata.put("resourceVersion", Long.toString(uids.incrementAndGet()));
    metadata.put("uid", "00000000-0000-0000-0000-" + String.format("%012d", uids.get()));
    if ("Deployment".equals(o.get("kind"))) {
      Object replicas = o.get("spec") instanceof Map<?, ?> spec && spec.get("replicas") != null ? spec.get("replicas") : 1;
      o.put("status", Map.of("observedGeneration", generation, "replicas", replicas, "updatedReplicas", replicas,
          "readyReplicas", replicas, "availableReplicas", replicas));
    }
    objects.put(key, o);
    return o;
  }

  private static Object name(Map<String, Object> o) {
    return o.get("metadata") instanceof Map<?, ?> m ? m.get("name") : "";
  }

  private static Map<String, Object> status(int code, String reason, String message) {
    return Map.of("kind", "Status", "apiVersion", "v1", "status", code < 300 ? "Success" : "Failure", "reason", reason,
        "message", message, "code", code);
  }

  private static void send(HttpExchange exchange, int code, Object value) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(value);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
