package dev.flotilla.engine.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncAttemptTest {
  static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");

  static SyncAttempt failed(String error, String replica) {
    return SyncAttempt.once("repo", "main", T0, null, "failed", error, List.of(), Map.of(), replica);
  }

  @Test
  void anAttemptRepeatsAnotherWhateverItsTimeAndReplica() {
    SyncAttempt first = failed("connection refused", "engine-a");
    SyncAttempt again = SyncAttempt.once("repo", "main", T0.plusSeconds(30), null, "failed", "connection refused", List.of(), Map.of(),
        "engine-b");

    assertThat(first.repeatedBy(again)).isTrue();
    SyncAttempt folded = first.with(again);
    assertThat(folded.count()).isEqualTo(2);
    assertThat(folded.at()).isEqualTo(T0);
    assertThat(folded.lastAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(folded.replica()).isEqualTo("engine-b");
  }

  @Test
  void anAttemptWithAnotherErrorRevisionOutcomeProblemOrBranchIsNoRepeat() {
    SyncAttempt first = failed("connection refused", "engine-a");

    assertThat(first.repeatedBy(failed("connection timed out", "engine-a"))).isFalse();
    assertThat(first.repeatedBy(SyncAttempt.once("repo", "main", T0, "3f2a", "failed", "connection refused", List.of(), Map.of(), "e")))
        .isFalse();
    assertThat(first.repeatedBy(SyncAttempt.once("repo", "main", T0, null, "invalid", "connection refused", List.of(), Map.of(), "e")))
        .isFalse();
    assertThat(first.repeatedBy(SyncAttempt.once("repo", "main", T0, null, "failed", "connection refused", List.of("a:1: x: y"),
        Map.of(), "e"))).isFalse();
    assertThat(first.repeatedBy(SyncAttempt.once("repo", "main", T0, null, "failed", "connection refused", List.of(),
        Map.of("web", "why"), "e"))).isFalse();
    assertThat(first.repeatedBy(SyncAttempt.once("repo", "release", T0, null, "failed", "connection refused", List.of(), Map.of(), "e")))
        .isFalse();
  }

  @Test
  void whatAnAttemptHoldsIsBoundedAndBoundingTwiceChangesNothing() {
    List<String> problems = java.util.stream.IntStream.range(0, 250).mapToObj(i -> "sites/s" + i + ".yaml:1: spec: bad").toList();
    SyncAttempt big = SyncAttempt.once("repo", "main", T0, "3f2a", "invalid", "x".repeat(20_000), problems, Map.of(), "e");

    assertThat(big.error()).hasSize(SyncAttempt.MAX_ERROR).endsWith("...");
    assertThat(big.problems()).hasSize(SyncAttempt.MAX_PROBLEMS).endsWith("... and 151 more problems");
    assertThat(big.problems().get(98)).isEqualTo("sites/s98.yaml:1: spec: bad");
    SyncAttempt again = SyncAttempt.once("repo", "main", T0, "3f2a", "invalid", big.error(), big.problems(), Map.of(), "e");
    assertThat(again).isEqualTo(big);
    assertThat(big.repeatedBy(SyncAttempt.once("repo", "main", T0, "3f2a", "invalid", "x".repeat(20_000), problems, Map.of(), "e")))
        .isTrue();
  }

  @Test
  void anAttemptSeenLessThanOnceIsRefused() {
    assertThatThrownBy(() -> new SyncAttempt("repo", "main", T0, T0, 0, null, "failed", null, List.of(), Map.of(), "e"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
  }
}
