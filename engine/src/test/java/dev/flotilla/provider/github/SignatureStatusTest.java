package dev.flotilla.provider.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderApi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code flotilla/signature}: one status per verdict, however often the sync judges the same revision. */
class SignatureStatusTest {
  final List<String> sent = new ArrayList<>();
  final ProviderApi api = new ProviderApi() {
    @Override
    public void setStatus(String repo, String sha, CommitStatus status) {
      sent.add(repo + " " + sha + " " + status.context() + " " + status.state() + " " + status.description());
    }

    @Override
    public List<CommitStatus> statuses(String repo, String ref) {
      return List.of();
    }

    @Override
    public long upsertComment(String repo, int number, String marker, String body) {
      return 0;
    }

    @Override
    public java.util.Optional<dev.flotilla.provider.PullRequest> findPullRequest(String repo, String head) {
      return java.util.Optional.empty();
    }

    @Override
    public dev.flotilla.provider.PullRequest openPullRequest(String repo, String head, String base, String title, String body) {
      throw new AssertionError("a signature status opens no pull request");
    }
  };

  @Test
  void aRevisionRefusedAtEveryPollGetsOneFailure() throws Exception {
    SignatureStatus status = new SignatureStatus(api, "acme/fleet");

    status.refused("abc", "commit abc is not signed");
    status.refused("abc", "commit abc is not signed");

    assertThat(sent).containsExactly("acme/fleet abc flotilla/signature " + CommitState.FAILURE + " refused: commit abc is not signed");
  }

  @Test
  void eachNewVerdictIsSent() throws Exception {
    SignatureStatus status = new SignatureStatus(api, "acme/fleet");

    status.refused("abc", "commit abc is not signed");
    status.accepted("def", "alice (openpgp 6F57)");

    assertThat(sent).containsExactly(
        "acme/fleet abc flotilla/signature " + CommitState.FAILURE + " refused: commit abc is not signed",
        "acme/fleet def flotilla/signature " + CommitState.SUCCESS + " signed by alice (openpgp 6F57)");
  }
}
