package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportSetupTest {
  @TempDir Path temp;

  @Test
  void tokenEchoedInAMessageIsBlottedOut() throws Exception {
    RemoteUrl url = RemoteUrl.parse("https://example.invalid/fleet.git");
    try (TransportSetup setup =
        TransportSetup.of(url, GitAuth.tokenFromEnv("T"), Map.of("T", " s3cret\n"))) {
      assertThat(setup.redact("server said: bad credentials s3cret")).isEqualTo(
          "server said: bad credentials ***");
    }
  }

  @Test
  void unreadableTokenFileIsAnAuthenticationErrorNamingTheFile() throws Exception {
    RemoteUrl url = RemoteUrl.parse("https://example.invalid/fleet.git");
    Path missing = temp.resolve("no-token");

    assertThatThrownBy(() -> TransportSetup.of(url, GitAuth.tokenFromFile(missing), Map.of()))
        .isInstanceOf(GitSyncException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("https://example.invalid/fleet.git");
  }

  @Test
  void sshKeyAndKnownHostsBuildASessionFactoryWithoutConnecting() throws Exception {
    Path key = Files.writeString(temp.resolve("id_ed25519"), "not read until connecting");
    Path knownHosts = Files.writeString(temp.resolve("known_hosts"), "");
    RemoteUrl url = RemoteUrl.parse("git@github.com:acme/fleet.git");

    try (TransportSetup setup = TransportSetup.of(url, GitAuth.sshKey(key, knownHosts), Map.of())) {
      assertThat(setup.redact("nothing secret")).isEqualTo("nothing secret");
    }
  }

  @Test
  void refusedConnectionIsUnreachableEvenWhenThePortLooksLikeAnHttpStatus() {
    var failure = new TransportException("git://127.0.0.1:40123/fleet.git: connection failed",
        new ConnectException("Connection refused"));

    assertThat(TransportFailures.classify(failure)).isEqualTo(GitSyncException.Reason.UNREACHABLE);
  }

  @Test
  void notAuthorizedIsAnAuthenticationFailure() {
    var failure = new TransportException("http://127.0.0.1:8080/fleet.git: not authorized");

    assertThat(TransportFailures.classify(failure))
        .isEqualTo(GitSyncException.Reason.AUTHENTICATION);
  }
}
