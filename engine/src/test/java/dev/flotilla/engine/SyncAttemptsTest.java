package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.SyncAttempt;
import dev.flotilla.engine.port.SyncAttemptStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncAttemptsTest {
  static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");

  /** Keeps what it is given, newest first, folding repeats as the store's contract says. */
  static class Remembered implements SyncAttemptStore {
    final List<SyncAttempt> attempts = new ArrayList<>();

    @Override
    public void record(SyncAttempt attempt) {
      if (!attempts.isEmpty() && attempts.get(0).repeatedBy(attempt)) attempts.set(0, attempts.get(0).with(attempt));
      else attempts.add(0, attempt);
    }

    @Override
    public List<SyncAttempt> recent(String repo, String branch, int limit) {
      return attempts.stream().limit(limit).toList();
    }
  }

  static FleetSync.Outcome failedFetch(String error) {
    return new FleetSync.Outcome("3f2a1c0d", false, false, List.of(), List.of(), error, null, List.of(), Map.of());
  }

  @Test
  void aStoreThatCannotRecordTheAttemptDoesNotFailTheSync() {
    SyncAttemptStore broken = new SyncAttemptStore() {
      @Override
      public void record(SyncAttempt attempt) throws StoreException {
        throw new StoreException("record the sync attempt", "the database is read-only");
      }

      @Override
      public List<SyncAttempt> recent(String repo, String branch, int limit) {
        return List.of();
      }
    };
    SyncAttemptStore crashing = new Remembered() {
      @Override
      public void record(SyncAttempt attempt) {
        throw new IllegalStateException("pool closed");
      }
    };

    assertThatCode(() -> new SyncAttempts(broken, "repo", "main", "engine-a").add(T0, failedFetch("connection refused")))
        .doesNotThrowAnyException();
    assertThatCode(() -> new SyncAttempts(crashing, "repo", "main", "engine-a").add(T0, failedFetch("connection refused")))
        .doesNotThrowAnyException();
  }

  @Test
  void eachSyncIsRecordedWithItsOutcomeWordAndReadBackAsTheApiShowsIt() throws Exception {
    Remembered store = new Remembered();
    SyncAttempts attempts = new SyncAttempts(store, "repo", "main", "engine-a");

    attempts.add(T0, new FleetSync.Outcome("4e5f", true, false, List.of("web"), List.of("api"), null, "4e5f", List.of(),
        Map.of("api", "kustomize: missing.yaml")));
    attempts.add(T0.plusSeconds(30), new FleetSync.Outcome("4e5f", false, false, List.of(), List.of(), "revision 5a6b is invalid",
        "5a6b", List.of("sites/broken.yaml:6: spec.tiree: unknown field"), Map.of()));
    attempts.add(T0.plusSeconds(60), new FleetSync.Outcome("4e5f", false, false, List.of(), List.of(), "not signed", "6b7c",
        List.of(), Map.of(), true, null));
    attempts.add(T0.plusSeconds(90), failedFetch("connection refused"));
    attempts.add(T0.plusSeconds(120), failedFetch("connection refused"));
    attempts.add(T0.plusSeconds(150), new FleetSync.Outcome("4e5f", false, false, List.of(), List.of(), null, "4e5f", List.of(), Map.of()));

    var recent = attempts.recent(10);
    assertThat(recent).extracting(a -> a.outcome()).containsExactly("unchanged", "failed", "refused", "invalid", "synced");
    assertThat(recent.get(1).count()).isEqualTo(2);
    assertThat(recent.get(1).at()).isEqualTo(T0.plusSeconds(90));
    assertThat(recent.get(1).lastAt()).isEqualTo(T0.plusSeconds(120));
    assertThat(recent.get(1).revision()).as("nothing fetched").isNull();
    assertThat(recent.get(3).problems()).containsExactly("sites/broken.yaml:6: spec.tiree: unknown field");
    assertThat(recent.get(4).failedReleases()).containsEntry("api", "kustomize: missing.yaml");
    assertThat(recent).allSatisfy(a -> assertThat(a.replica()).isEqualTo("engine-a"));
    assertThat(attempts.recent(2)).hasSize(2);
  }
}
