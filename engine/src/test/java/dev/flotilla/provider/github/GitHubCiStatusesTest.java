package dev.flotilla.provider.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.provider.CheckRun;
import dev.flotilla.provider.CommitState;
import dev.flotilla.rollout.CiStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GitHubCiStatusesTest {
  @ParameterizedTest(name = "status {0} reads as {1}")
  @CsvSource({"SUCCESS, PASSED", "PENDING, PENDING", "FAILURE, FAILED", "ERROR, FAILED"})
  void aCommitStatusStateMapsToTheGate(CommitState state, CiStatus expected) {
    assertThat(GitHubCiStatuses.of(state)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "check run {0}/{1} reads as {2}")
  @CsvSource(nullValues = "null", value = {
      "queued, null, PENDING", "in_progress, null, PENDING", "completed, success, PASSED", "completed, neutral, PASSED",
      "completed, skipped, PASSED", "completed, failure, FAILED", "completed, cancelled, FAILED", "completed, timed_out, FAILED",
      "completed, action_required, FAILED", "completed, stale, FAILED", "completed, null, FAILED"})
  void aCheckRunMapsToTheGate(String status, String conclusion, CiStatus expected) {
    assertThat(GitHubCiStatuses.of(new CheckRun("test", status, conclusion))).isEqualTo(expected);
  }
}
