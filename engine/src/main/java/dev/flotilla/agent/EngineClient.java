package dev.flotilla.agent;

import dev.flotilla.delivery.pull.AgentReport;
import dev.flotilla.delivery.pull.ReportBatch;
import dev.flotilla.delivery.pull.SiteTrust;
import dev.flotilla.delivery.pull.TargetList;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The agent's side of the serving protocol (docs/bundle-format.md), over {@code java.net.http}: the
 * site's target list (long-polled), one app's bundle with a deadline, a minimum throughput and a size
 * bound, the trust documents the engine serves, and the report queue. A connection failure or a
 * 5xx is {@link EngineUnreachable}; a refused token is an {@link AgentException}.
 */
public final class EngineClient implements AutoCloseable {

  /** Download bounds: the whole body within {@code deadline}, at least {@code minBytesPerSecond} after {@code grace}, at most {@code maxBytes}. */
  public record Transfer(Duration deadline, Duration grace, long minBytesPerSecond, long maxBytes) {
    static final Transfer DEFAULT = new Transfer(Duration.ofMinutes(2), Duration.ofSeconds(10), 4_096, 34L << 20);
  }

  /** What a request got: a new body with its ETag, or "not changed", and when to come back. */
  sealed interface Answer<T> permits Changed, NotModified, Busy {}

  record Changed<T>(T body, String etag, Optional<Duration> retryAfter) implements Answer<T> {}

  record NotModified<T>(Optional<Duration> retryAfter) implements Answer<T> {}

  record Busy<T>(Duration retryAfter) implements Answer<T> {}

  private final URI engine;
  private final String site;
  private final String token;
  private final Transfer transfer;
  private final HttpClient http;
  private final java.util.concurrent.ExecutorService httpThreads;
  private final ScheduledExecutorService deadlines;

  EngineClient(URI engine, String site, String token, Transfer transfer) {
    this.engine = engine;
    this.site = site;
    this.token = token;
    this.transfer = transfer;
    this.httpThreads = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "flotilla-agent-http");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
        .executor(httpThreads).build();
    this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "flotilla-agent-deadlines");
      t.setDaemon(true);
      return t;
    });
  }

  private URI uri(String path) {
    return URI.create(engine.toString().replaceAll("/+$", "") + "/api/v1/sites/" + site + path);
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Authorization", "Bearer " + token);
  }

  Answer<TargetList> targets(String etag, long waitSeconds) throws EngineUnreachable, AgentException, InterruptedException {
    HttpRequest.Builder b = request("/bundles" + (waitSeconds > 0 ? "?wait=" + waitSeconds : ""), Duration.ofSeconds(waitSeconds + 30));
    if (etag != null) b.header("If-None-Match", etag);
    HttpResponse<byte[]> r = send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    Optional<Duration> retry = retryAfter(r);
    return switch (r.statusCode()) {
      case 200 -> {
        try {
          yield new Changed<>(ReportQueue.JSON.readValue(r.body(), TargetList.class), r.headers().firstValue("ETag").orElse(null), retry);
        } catch (IOException e) {
          throw new EngineUnreachable("the engine's target list is not JSON: " + e.getMessage(), e);
        }
      }
      case 304 -> new NotModified<>(retry);
      case 503 -> new Busy<>(retry.orElse(Duration.ofSeconds(10)));
      default -> throw refused(r.statusCode(), "the target list");
    };
  }

  /** The bundle of {@code app}, read within the transfer bounds. */
  Answer<byte[]> bundle(String app) throws EngineUnreachable, AgentException, InterruptedException {
    HttpRequest req = request("/bundles/" + app, transfer.deadline()).GET().build();
    HttpResponse<InputStream> r = send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      Optional<Duration> retry = retryAfter(r);
      if (r.statusCode() == 503) return new Busy<>(retry.orElse(Duration.ofSeconds(10)));
      if (r.statusCode() == 304) return new NotModified<>(retry);
      if (r.statusCode() != 200) throw refused(r.statusCode(), "the bundle of " + app);
      long stated = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (stated > transfer.maxBytes()) throw new TransferFailed("the bundle of " + app + " is " + stated + " bytes, more than " + transfer.maxBytes());
      return new Changed<>(readBounded(body, app), r.headers().firstValue("ETag").orElse(null), retry);
    } catch (IOException e) {
      if (e instanceof TransferFailed t) throw t;
      throw new EngineUnreachable("download of " + app + " broke off: " + e.getMessage(), e);
    }
  }

  /** A download that broke a bound (too large, too slow, past its deadline): the bundle is dropped. */
  static final class TransferFailed extends EngineUnreachable {
    TransferFailed(String message) {
      super(message, null);
    }
  }

  /**
   * Reads {@code body} under the bounds. A blocked read cannot look at the clock, so a timer
   * closes the stream at the deadline, which ends the read with an exception.
   */
  private byte[] readBounded(InputStream body, String app) throws IOException {
    long started = System.nanoTime();
    boolean[] late = {false};
    ScheduledFuture<?> killer = deadlines.schedule(() -> {
      late[0] = true;
      try {
        body.close();
      } catch (IOException ignored) {
        // closing is all we can do
      }
    }, transfer.deadline().toMillis(), TimeUnit.MILLISECONDS);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16_384];
    try {
      while (true) {
        int n;
        try {
          n = body.read(buf);
        } catch (IOException e) {
          if (late[0]) throw new TransferFailed("the bundle of " + app + " did not arrive within " + transfer.deadline());
          throw e;
        }
        if (n < 0) break;
        out.write(buf, 0, n);
        if (out.size() > transfer.maxBytes()) throw new TransferFailed("the bundle of " + app + " is more than " + transfer.maxBytes() + " bytes");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        if (elapsedMs > transfer.grace().toMillis() && out.size() * 1000L / elapsedMs < transfer.minBytesPerSecond()) {
          throw new TransferFailed("the bundle of " + app + " arrives at " + (out.size() * 1000L / elapsedMs) + " bytes/s, below "
              + transfer.minBytesPerSecond());
        }
      }
      if (late[0]) throw new TransferFailed("the bundle of " + app + " did not arrive within " + transfer.deadline());
      return out.toByteArray();
    } finally {
      killer.cancel(false);
    }
  }

  /**
   * The newest trust version the engine serves, under its ETag; {@link NotModified} when it is
   * still {@code etag}, and also when the engine serves no trust documents (404): nothing to take.
   */
  Answer<Integer> trustVersion(String etag) throws EngineUnreachable, AgentException, InterruptedException {
    HttpRequest.Builder b = request("/trust", Duration.ofSeconds(30));
    if (etag != null) b.header("If-None-Match", etag);
    HttpResponse<byte[]> r = send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    Optional<Duration> retry = retryAfter(r);
    return switch (r.statusCode()) {
      case 200 -> {
        try {
          JsonNode version = ReportQueue.JSON.readTree(r.body()).path("version");
          if (!version.isInt()) throw new IOException("no integer version in " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
          yield new Changed<>(version.intValue(), r.headers().firstValue("ETag").orElse(null), retry);
        } catch (IOException e) {
          throw new EngineUnreachable("the engine's trust version is not JSON {\"version\"}: " + e.getMessage(), e);
        }
      }
      case 304, 404 -> new NotModified<>(retry);
      case 503 -> new Busy<>(retry.orElse(Duration.ofSeconds(10)));
      default -> throw refused(r.statusCode(), "the trust version");
    };
  }

  /** Trust document {@code version} as the engine serves it (at most {@code maxBytes}), or empty when it does not serve it. */
  Optional<byte[]> trustDocument(int version, int maxBytes) throws EngineUnreachable, AgentException, InterruptedException {
    HttpRequest req = request("/trust/" + version, Duration.ofSeconds(30)).GET().build();
    HttpResponse<InputStream> r = send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() == 404) return Optional.empty();
      if (r.statusCode() != 200) throw refused(r.statusCode(), "trust version " + version);
      byte[] bytes = body.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) throw new TransferFailed("trust version " + version + " is more than " + maxBytes + " bytes");
      return Optional.of(bytes);
    } catch (IOException e) {
      if (e instanceof TransferFailed t) throw t;
      throw new EngineUnreachable("download of trust version " + version + " broke off: " + e.getMessage(), e);
    }
  }

  /** Posts the reports with the agent's trust version; returns the highest seq the engine has taken. */
  long report(String queue, List<AgentReport> reports, SiteTrust trust) throws EngineUnreachable, AgentException, InterruptedException {
    byte[] body;
    try {
      body = ReportQueue.JSON.writeValueAsBytes(new ReportBatch(queue, reports, trust));
    } catch (IOException e) {
      throw new AgentException("cannot encode reports", e);
    }
    HttpRequest req = request("/reports", Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<byte[]> r = send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) throw refused(r.statusCode(), "the reports");
    try {
      return ReportQueue.JSON.readTree(r.body()).path("seq").asLong();
    } catch (IOException e) {
      throw new EngineUnreachable("the engine's answer to reports is not JSON", e);
    }
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws EngineUnreachable, InterruptedException {
    try {
      return http.send(req, handler);
    } catch (IOException e) {
      throw new EngineUnreachable("cannot reach the engine at " + engine + ": " + e, e);
    }
  }

  /** 401/403 stop the agent (its token is wrong); a 5xx or other surprise is treated as the engine being unreachable. */
  private EngineUnreachable refused(int status, String what) throws AgentException {
    if (status == 401 || status == 403) {
      throw new AgentException("the engine refused " + what + " for site " + site + " (HTTP " + status + "): check the site's token");
    }
    return new EngineUnreachable("the engine answered HTTP " + status + " for " + what, null);
  }

  private static Optional<Duration> retryAfter(HttpResponse<?> r) {
    return r.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    httpThreads.shutdownNow();
  }
}
