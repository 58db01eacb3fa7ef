package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The CLI's API client: the token goes as a bearer header, and never over plain http:// to another machine unless allowed. */
class ApiClientTokenTest {

  @Test
  void aTokenIsNotSentOverPlainHttpToAnotherHost() {
    assertThatThrownBy(() -> new ApiClient("http://flotilla.example.com:8080", "flt_secret", false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("plain http://").hasMessageContaining("--allow-insecure-http").hasMessageNotContaining("flt_secret");
  }

  @Test
  void plainHttpIsFineForLoopbackForHttpsOrWhenAllowed() throws IOException {
    new ApiClient("http://127.0.0.1:8080", "flt_secret", false);
    new ApiClient("http://localhost:8080", "flt_secret", false);
    new ApiClient("http://[::1]:8080", "flt_secret", false);
    new ApiClient("https://flotilla.example.com", "flt_secret", false);
    new ApiClient("http://flotilla.example.com", "flt_secret", true);
    new ApiClient("http://flotilla.example.com", null, false);
  }

  @Test
  void aServerThatIsNotAUrlIsAClearError() {
    assertThatThrownBy(() -> new ApiClient("foo bar", null, false)).isInstanceOf(IOException.class).hasMessageContaining("--server");
    assertThatThrownBy(() -> new ApiClient("ftp://x", null, false)).isInstanceOf(IOException.class).hasMessageContaining("http");
  }

  @Test
  void theTokenIsSentAsABearerHeader() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), "flt_abc", false).rollouts();
    } finally {
      server.stop(0);
    }
    assertThat(seen).containsExactly("Bearer flt_abc");
  }
}
