package dev.flotilla.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client half of the reconnect storm: every agent asks for its bundle at the same moment with
 * the ETag it has ({@code If-None-Match}), through one asynchronous {@code java.net.http} client (a
 * connection each, as separate agents would have). Records each answer's status and latency.
 */
final class StormClient {
  /** One agent: where it asks, with what token and ETag. */
  record Agent(URI uri, String token, String etag) {}

  /** What a storm got: answers by status, requests lost (no answer), wall time, latency percentiles. */
  record Result(int requests, Map<Integer, Integer> statuses, int lost, String firstError, Duration wall, double p50Ms, double p99Ms,
      double maxMs) {
    double perSecond() {
      return requests / (wall.toNanos() / 1e9);
    }
  }

  private StormClient() {}

  static Result storm(List<Agent> agents) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      HttpClient http = HttpClient.newBuilder().executor(pool).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(60)).build();
      long[] latency = new long[agents.size()];
      int[] status = new int[agents.size()];
      AtomicInteger lost = new AtomicInteger();
      String[] firstError = {null};
      CompletableFuture<?>[] all = new CompletableFuture<?>[agents.size()];
      long start = System.nanoTime();
      for (int i = 0; i < agents.size(); i++) {
        Agent a = agents.get(i);
        int n = i;
        HttpRequest.Builder b = HttpRequest.newBuilder(a.uri()).timeout(Duration.ofSeconds(120)).header("If-None-Match", a.etag());
        if (a.token() != null) b.header("Authorization", "Bearer " + a.token());
        long sent = System.nanoTime();
        all[i] = http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
          latency[n] = System.nanoTime() - sent;
          if (e != null) {
            lost.incrementAndGet();
            synchronized (firstError) {
              if (firstError[0] == null) firstError[0] = e.toString();
            }
          } else {
            status[n] = r.statusCode();
          }
        });
      }
      try {
        CompletableFuture.allOf(all).join();
      } catch (RuntimeException e) {
        // counted per request above
      }
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      Map<Integer, Integer> byStatus = new TreeMap<>();
      for (int s : status) if (s != 0) byStatus.merge(s, 1, Integer::sum);
      long[] sorted = latency.clone();
      Arrays.sort(sorted);
      return new Result(agents.size(), byStatus, lost.get(), firstError[0], wall, ms(sorted, 0.50), ms(sorted, 0.99),
          sorted[sorted.length - 1] / 1e6);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Percentiles.rank(sorted.length, q)] / 1e6;
  }
}
