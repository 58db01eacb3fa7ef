package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against an HTTP server on loopback that answers as Prometheus's query API does. */
class PrometheusAnalysisIT {
  HttpServer server;
  final AtomicReference<String> lastQuery = new AtomicReference<>();
  final AtomicReference<String> answer = new AtomicReference<>();
  PrometheusAnalysis analysis;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/query", exchange -> {
      // The query comes as a form-encoded POST body, never in the URL (a wave of 6,000 sites does not fit in one).
      if (!exchange.getRequestMethod().equals("POST")
          || !"application/x-www-form-urlencoded".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
          || exchange.getRequestURI().getRawQuery() != null) {
        exchange.sendResponseHeaders(405, -1);
        exchange.close();
        return;
      }
      String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      lastQuery.set(URLDecoder.decode(raw.substring("query=".length()), StandardCharsets.UTF_8));
      byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.get().contains("\"error\"") ? 400 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    analysis = new PrometheusAnalysis("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void vectorResultGivesItsFirstSampleAndSitesAreSubstituted() throws Exception {
    answer.set("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000,\"0.004\"]}]}}");

    var value = analysis.evaluate("sum(rate(errors{site=~\"$SITES\"}[5m]))", List.of("store-1", "store-2"));

    assertThat(value).hasValue(0.004);
    assertThat(lastQuery.get()).isEqualTo("sum(rate(errors{site=~\"store-1|store-2\"}[5m]))");
  }

  @Test
  void emptyResultIsNoValue() throws Exception {
    answer.set("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");

    assertThat(analysis.evaluate("up", List.of("a"))).isEmpty();
  }

  @Test
  void queryErrorsNameTheServerAndTheError() {
    answer.set("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}");

    assertThatThrownBy(() -> analysis.evaluate("up{", List.of("a")))
        .isInstanceOf(PrometheusAnalysis.AnalysisException.class)
        .hasMessageContaining("HTTP 400").hasMessageContaining("parse error at char 3");
  }

  @Test
  void unreachableServerIsAClearError() {
    server.stop(0);

    assertThatThrownBy(() -> analysis.evaluate("up", List.of("a")))
        .isInstanceOf(PrometheusAnalysis.AnalysisException.class).hasMessageContaining("cannot reach Prometheus");
  }
}
