package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Downloads are bounded: a hostile or broken server cannot stall the agent or fill its memory. */
class EngineClientTest {
  HttpServer server;

  EngineClient clientFor(Consumer<HttpExchange> handler, EngineClient.Transfer transfer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      try {
        handler.accept(exchange);
      } finally {
        exchange.close();
      }
    });
    server.start();
    return new EngineClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "edge-1", "flt_site_x", transfer);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static void send(HttpExchange e, long length, int bytesPerTick, long tickMillis, int ticks) {
    try {
      e.sendResponseHeaders(200, length);
      OutputStream out = e.getResponseBody();
      for (int i = 0; i < ticks; i++) {
        out.write(new byte[bytesPerTick]);
        out.flush();
        Thread.sleep(tickMillis);
      }
    } catch (IOException | InterruptedException ignored) {
      // the client hung up: what the test wants
    }
  }

  @Test
  void aBundleLargerThanTheBoundIsRefusedWithoutReadingIt() throws Exception {
    EngineClient client = clientFor(e -> send(e, 10_000_000, 1, 1, 1), new EngineClient.Transfer(Duration.ofSeconds(5), Duration.ofSeconds(1), 1, 1_000_000));

    assertThatThrownBy(() -> client.bundle("web")).isInstanceOf(EngineClient.TransferFailed.class).hasMessageContaining("more than 1000000");
    client.close();
  }

  @Test
  void aBodyGrowingPastTheBoundWithoutAStatedLengthIsCutOff() throws Exception {
    EngineClient client = clientFor(e -> send(e, 0, 10_000, 1, 200), new EngineClient.Transfer(Duration.ofSeconds(5), Duration.ofSeconds(1), 1, 50_000));

    assertThatThrownBy(() -> client.bundle("web")).isInstanceOf(EngineClient.TransferFailed.class).hasMessageContaining("more than 50000");
    client.close();
  }

  @Test
  void aSlowDripBelowTheMinimumThroughputIsAbandoned() throws Exception {
    EngineClient client = clientFor(e -> send(e, 100_000, 10, 100, 1000),
        new EngineClient.Transfer(Duration.ofSeconds(30), Duration.ofMillis(500), 1_000, 1_000_000));
    long started = System.nanoTime();

    assertThatThrownBy(() -> client.bundle("web")).isInstanceOf(EngineClient.TransferFailed.class).hasMessageContaining("bytes/s, below 1000");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    client.close();
  }

  @Test
  void aStalledBodyEndsAtTheDeadline() throws Exception {
    EngineClient client = clientFor(e -> send(e, 100_000, 1, 60_000, 1),
        new EngineClient.Transfer(Duration.ofSeconds(1), Duration.ofSeconds(30), 1, 1_000_000));
    long started = System.nanoTime();

    assertThatThrownBy(() -> client.bundle("web")).isInstanceOf(EngineClient.TransferFailed.class).hasMessageContaining("did not arrive within");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    client.close();
  }

  @Test
  void aRefusedTokenStopsTheAgentRatherThanLookingLikeAnOutage() throws Exception {
    EngineClient client = clientFor(e -> {
      try {
        e.sendResponseHeaders(403, -1);
      } catch (IOException ignored) {
        // nothing to do
      }
    }, EngineClient.Transfer.DEFAULT);

    assertThatThrownBy(() -> client.targets(null, 0)).isInstanceOf(AgentException.class).hasMessageContaining("check the site's token");
    client.close();
  }
}
