package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.testing.CommitSigning.SshKey;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching the fleet repo over SSH from the real OpenSSH server on 127.0.0.1 (its own host key and
 * authorized_keys), with the key and known_hosts files of {@link GitAuth}: the right key and a
 * known host fetch; an unknown host key and a key the server does not know are refused, saying so.
 */
class SshFetchIT {
  @TempDir Path temp;
  OpenSshServer sshd;
  GitFixture author;
  Path remote;
  SshKey userKey;
  Path knownHosts;
  String first;

  @BeforeEach
  void serve() throws Exception {
    userKey = SshKey.generate(temp.resolve("keys"), "flotilla");
    sshd = OpenSshServer.start(temp.resolve("sshd"), userKey.publicKey());
    remote = GitFixture.initBare(temp.resolve("served/fleet.git"));
    author = GitFixture.init(temp.resolve("author"));
    first = author.write("fleet.yaml", "name: v1\n").commit("first");
    author.pushTo(remote, "main");
    knownHosts = Files.writeString(temp.resolve("known_hosts"), sshd.knownHostsLine() + "\n");
  }

  @AfterEach
  void stop() {
    author.close();
    sshd.close();
  }

  @Test
  void theRightKeyAndAKnownHostFetchTheBranch() throws Exception {
    try (FleetRepoSource source = FleetRepoSource.open(sshd.url(remote), temp.resolve("cache"),
        GitAuth.sshKey(userKey.privateKey(), knownHosts))) {
      assertThat(source.resolve("main")).as(sshd.log()).isEqualTo(first);

      String second = author.write("fleet.yaml", "name: v2\n").commit("second");
      author.pushTo(remote, "main");
      assertThat(source.fetch("main").commit()).isEqualTo(second);
      assertThat(source.snapshot("main").root().resolve("fleet.yaml")).hasContent("name: v2");
    }
  }

  @Test
  void aServerWhoseHostKeyIsNotInKnownHostsIsRefused() throws Exception {
    SshKey other = SshKey.generate(temp.resolve("other-host"), "impostor");
    Path wrongHosts = Files.writeString(temp.resolve("known_hosts_other"),
        "[127.0.0.1]:" + sshd.port() + " " + other.publicKey() + "\n");

    GitSyncException e = catchThrowableOfType(GitSyncException.class, () -> FleetRepoSource.open(sshd.url(remote),
        temp.resolve("cache"), GitAuth.sshKey(userKey.privateKey(), wrongHosts)).close());

    assertThat(e).as("the clone should be refused").isNotNull();
    assertThat(e.reason()).isEqualTo(GitSyncException.Reason.HOST_KEY);
    assertThat(e.getMessage()).contains("127.0.0.1")
        .contains("SSH host key not trusted: the server's SSH host key is not listed in the known_hosts file (--known-hosts)");
  }

  @Test
  void aKeyTheServerDoesNotKnowIsRefusedAsAnAuthenticationFailure() throws Exception {
    SshKey stranger = SshKey.generate(temp.resolve("stranger"), "stranger");

    GitSyncException e = catchThrowableOfType(GitSyncException.class, () -> FleetRepoSource.open(sshd.url(remote),
        temp.resolve("cache"), GitAuth.sshKey(stranger.privateKey(), knownHosts)).close());

    assertThat(e).as("the clone should be refused").isNotNull();
    assertThat(e.reason()).isEqualTo(GitSyncException.Reason.AUTHENTICATION);
    assertThat(e.getMessage()).contains("authentication failed");
    assertThat(sshd.log()).contains("Connection closed by authenticating user");
  }
}
