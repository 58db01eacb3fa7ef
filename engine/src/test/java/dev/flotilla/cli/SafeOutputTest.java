package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.api.Json;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.RolloutView.WaveView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Text from a server, a fleet repo or a person never reaches the terminal with its control characters. */
class SafeOutputTest {
  static final String CLEAR = "\u001b[2J";
  static final String TITLE = "\u001b]0;pwned\u0007";
  static final String CSI_C1 = "\u009b31m";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "ESC      | 1b | \\e",
      "BEL      | 07 | \\u0007",
      "CR       | 0d | \\r",
      "LF       | 0a | \\n",
      "TAB      | 09 | \\t",
      "DEL      | 7f | \\u007f",
      "C1 CSI   | 9b | \\u009b",
      "C1 NEL   | 85 | \\u0085",
      "RLO      | 202e | \\u202e",
  })
  void eachControlCharacterBecomesAVisibleEscape(String name, String hex, String shown) {
    String control = String.valueOf((char) Integer.parseInt(hex, 16));

    assertThat(SafeText.of("a" + control + "b")).isEqualTo("a" + shown + "b");
  }

  @Test
  void printableTextIsLeftAlone() {
    String text = "café 日本 ünïcode \\ back slash 🚢";

    assertThat(SafeText.of(text)).isSameAs(text);
  }

  @Test
  void linesKeepsLineBreaksButEscapesTheRest() {
    assertThat(SafeText.lines("one" + CLEAR + "\ntwo\r")).isEqualTo("one\\e[2J\ntwo\\r");
  }

  @Test
  void theStatusBoardEscapesWhatTheServerSays() {
    RolloutView evil = new RolloutView("r-1" + CLEAR, "pos" + TITLE, "0123456789abcdef", "RELEASE", "HALTED", "bad\nFORGED LINE" + CSI_C1, 0,
        Instant.EPOCH, null, List.of(new WaveView("canary" + CLEAR, "WAITING", 1, 0, 0, 0, 1, 0, "approval by " + TITLE, null, null)),
        List.of());

    List<String> lines = ProgressBoard.lines(evil);

    assertThat(lines).hasSize(2);
    assertThat(String.join("", lines)).doesNotContain("\u001b", "\u0007", "\u009b", "\n").contains("\\e[2J", "\\nFORGED LINE");
  }

  @Test
  void rolloutListEscapesWhatTheServerSays() throws Exception {
    RolloutView evil = new RolloutView("web-1" + CLEAR, "web" + TITLE, "0123456789abcdef", "RELEASE", "RUNNING\r", null, 0,
        Instant.EPOCH, "approval by alice\n" + CSI_C1 + "forged", List.of(new WaveView("canary", "WAITING", 1, 0, 0, 0, 1, 0, null, null, null)),
        List.of());
    byte[] body = Json.mapper().writeValueAsBytes(List.of(evil));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    StringWriter out = new StringWriter();
    int exit;
    try {
      CommandLine cli = Main.commandLine(new Launch(Path.of("/tmp"), Map.of()));
      cli.setOut(new PrintWriter(out, true));
      exit = cli.execute("rollout", "list", "--server", "http://127.0.0.1:" + server.getAddress().getPort());
    } finally {
      server.stop(0);
    }

    assertThat(exit).isZero();
    assertThat(out.toString().lines()).hasSize(2);
    assertThat(out.toString()).doesNotContain("\u001b", "\u0007", "\u009b", "\r").contains("web-1\\e[2J", "alice\\n\\u009b31mforged");
  }

  @Test
  void anErrorFromTheServerIsEscaped() throws Exception {
    byte[] body = ("{\"error\":\"conflict\",\"reason\":\"no" + "\\u001b[2J" + "pe\"}").getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(409, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    java.io.PrintStream before = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
      exit = Main.commandLine(new Launch(Path.of("/tmp"), Map.of()))
          .execute("rollout", "pause", "web-1", "--server", "http://127.0.0.1:" + server.getAddress().getPort());
    } finally {
      System.setErr(before);
      server.stop(0);
    }

    assertThat(exit).isEqualTo(ExitCodes.INVALID);
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b").contains("no\\e[2Jpe");
  }
}
