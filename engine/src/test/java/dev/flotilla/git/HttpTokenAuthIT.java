package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testing.DumbHttpGitServer;
import dev.flotilla.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync over HTTP with a token: a JDK HTTP server on 127.0.0.1 serves a bare repository as Git's
 * dumb HTTP protocol behind Basic auth (made by the real {@code git update-server-info}).
 */
class HttpTokenAuthIT {
  private static final String TOKEN = "ghp_right-token-0123456789";
  private static final String WRONG = "ghp_wrong-token-9876543210";

  @TempDir Path temp;
  private DumbHttpGitServer server;
  private Path served;
  private GitFixture author;
  private String first;

  @BeforeEach
  void serveAFleetRepo() {
    served = GitFixture.initBare(temp.resolve("fleet.git"));
    author = GitFixture.init(temp.resolve("author"));
    first = author.write("fleet.yaml", "name: v1\n").commit("first");
    author.pushTo(served, "main");
    server = DumbHttpGitServer.serve(served, GitAuth.DEFAULT_USERNAME, TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
    author.close();
  }

  @Test
  void rightTokenFromAnEnvironmentVariableClonesAndFetches() throws Exception {
    GitAuth auth = GitAuth.tokenFromEnv("FLEET_TOKEN").allowingInsecureHttp();
    try (FleetRepoSource source = FleetRepoSource.open(
        server.url(), temp.resolve("cache"), auth, Map.of("FLEET_TOKEN", TOKEN))) {
      String second = author.write("fleet.yaml", "name: v2\n").commit("second");
      author.pushTo(served, "main");
      DumbHttpGitServer.updateServerInfo(served);

      FetchOutcome outcome = source.fetch("main");

      assertThat(outcome).isEqualTo(new FetchOutcome("main", first, second, false));
      assertThat(source.snapshot("main").root().resolve("fleet.yaml")).hasContent("name: v2");
    }
  }

  @Test
  void aTokenIsNotSentOverPlainHttpWithoutAllowInsecureHttp() {
    assertThatThrownBy(() -> FleetRepoSource.open(server.url(), temp.resolve("cache"),
        GitAuth.tokenFromEnv("FLEET_TOKEN"), Map.of("FLEET_TOKEN", TOKEN)))
        .isInstanceOf(GitSyncException.class)
        .hasMessageContaining("refusing to send a token over plain http://")
        .hasMessageContaining("--allow-insecure-http")
        .hasMessageNotContaining(TOKEN);
    assertThat(server.requests()).as("nothing reached the server").isZero();
  }

  @Test
  void rightTokenFromAFileClones() throws Exception {
    Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN + "\n");

    try (FleetRepoSource source = FleetRepoSource.open(
        server.url(), temp.resolve("cache"), GitAuth.tokenFromFile(tokenFile).allowingInsecureHttp())) {
      assertThat(source.resolve("main")).isEqualTo(first);
    }
  }

  @Test
  void wrongTokenIsAnAuthenticationErrorThatDoesNotShowTheToken() {
    GitAuth auth = GitAuth.tokenFromEnv("FLEET_TOKEN").allowingInsecureHttp();

    assertThatThrownBy(() -> FleetRepoSource.open(
        server.url(), temp.resolve("cache"), auth, Map.of("FLEET_TOKEN", WRONG)))
        .isInstanceOf(GitSyncException.class)
        .hasMessageContaining(server.url())
        .hasMessageContaining("authentication")
        .hasMessageNotContaining(WRONG)
        .extracting(e -> ((GitSyncException) e).reason())
        .isEqualTo(GitSyncException.Reason.AUTHENTICATION);
  }

  @Test
  void revokedTokenFailsTheFetchButKeepsWhatWasFetched() throws Exception {
    Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN);
    Path cache = temp.resolve("cache");
    FleetRepoSource.open(server.url(), cache, GitAuth.tokenFromFile(tokenFile).allowingInsecureHttp()).close();
    Files.writeString(tokenFile, WRONG);

    try (FleetRepoSource source =
        FleetRepoSource.open(server.url(), cache, GitAuth.tokenFromFile(tokenFile).allowingInsecureHttp())) {
      assertThatThrownBy(() -> source.fetch("main"))
          .isInstanceOf(GitSyncException.class)
          .hasMessageContaining("authentication")
          .hasMessageNotContaining(WRONG);
      assertThat(source.snapshot(first).root().resolve("fleet.yaml")).hasContent("name: v1");
    }
  }

  @Test
  void missingTokenVariableIsNamedWithoutAnyValue() {
    assertThatThrownBy(() -> FleetRepoSource.open(server.url(), temp.resolve("cache"),
        GitAuth.tokenFromEnv("FLEET_TOKEN").allowingInsecureHttp(), Map.of()))
        .isInstanceOf(GitSyncException.class)
        .hasMessageContaining("FLEET_TOKEN")
        .hasMessageContaining(server.url());
  }
}
