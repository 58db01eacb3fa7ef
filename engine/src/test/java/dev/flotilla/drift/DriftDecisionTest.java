package dev.flotilla.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.drift.DriftDecision.Change;
import dev.flotilla.drift.DriftDecision.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriftDecisionTest {
  static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");
  static final Duration INTERVAL = Duration.ofMinutes(3);
  static final Map<String, List<FieldDrift>> SCALED = Map.of("Deployment/web/web", List.of(new FieldDrift("spec.replicas", 2, 7)));

  static SiteDrift drifted(String revision, Instant at) {
    return SiteDrift.observed("dc-1", "web", revision, SCALED, at);
  }

  static SiteDrift inSync(String revision, Instant at) {
    return SiteDrift.observed("dc-1", "web", revision, Map.of(), at);
  }

  @Test
  void aFirstCleanCheckIsRecordedWithoutAnAuditEntry() {
    Step step = DriftDecision.decide(Optional.empty(), inSync("r1", T0), true, INTERVAL);

    assertThat(step.change()).isEqualTo(Change.NONE);
    assertThat(step.heal()).isFalse();
    assertThat(step.record().objects()).isZero();
    assertThat(step.record().driftingSince()).isNull();
    assertThat(step.record().checkedAt()).isEqualTo(T0);
  }

  @Test
  void startingToDriftIsAChangeAndIsNotHealedWithoutSelfHeal() {
    Step step = DriftDecision.decide(Optional.of(inSync("r1", T0)), drifted("r1", T0.plusSeconds(180)), false, INTERVAL);

    assertThat(step.change()).isEqualTo(Change.STARTED);
    assertThat(step.heal()).isFalse();
    assertThat(step.record().driftingSince()).isEqualTo(T0.plusSeconds(180));
    assertThat(step.record().healedAt()).isNull();
    assertThat(step.record().fields()).containsExactly("Deployment/web/web: spec.replicas: want 2, live 7");
  }

  @Test
  void stillDriftingIsNoNewChangeAndKeepsSinceWhen() {
    SiteDrift before = DriftDecision.decide(Optional.empty(), drifted("r1", T0), false, INTERVAL).record();

    Step step = DriftDecision.decide(Optional.of(before), drifted("r1", T0.plusSeconds(180)), false, INTERVAL);

    assertThat(step.change()).isEqualTo(Change.NONE);
    assertThat(step.record().driftingSince()).isEqualTo(T0);
    assertThat(step.record().checkedAt()).isEqualTo(T0.plusSeconds(180));
  }

  @Test
  void backInSyncIsAChange() {
    SiteDrift before = DriftDecision.decide(Optional.empty(), drifted("r1", T0), false, INTERVAL).record();

    Step step = DriftDecision.decide(Optional.of(before), inSync("r1", T0.plusSeconds(180)), false, INTERVAL);

    assertThat(step.change()).isEqualTo(Change.CLEARED);
    assertThat(step.record().driftingSince()).isNull();
  }

  @Test
  void withSelfHealADriftedSiteIsHealedAtMostOncePerInterval() {
    Step first = DriftDecision.decide(Optional.empty(), drifted("r1", T0), true, INTERVAL);
    Step tooSoon = DriftDecision.decide(Optional.of(first.record()), drifted("r1", T0.plusSeconds(60)), true, INTERVAL);
    Step later = DriftDecision.decide(Optional.of(tooSoon.record()), drifted("r1", T0.plus(INTERVAL)), true, INTERVAL);

    assertThat(first.heal()).isTrue();
    assertThat(first.record().healedAt()).isEqualTo(T0);
    assertThat(tooSoon.heal()).as("a minute after the last heal").isFalse();
    assertThat(tooSoon.record().healedAt()).isEqualTo(T0);
    assertThat(later.heal()).as("one interval after the last heal").isTrue();
    assertThat(later.record().healedAt()).isEqualTo(T0.plus(INTERVAL));
  }

  @Test
  void anInSyncSiteIsNeverHealed() {
    assertThat(DriftDecision.decide(Optional.empty(), inSync("r1", T0), true, INTERVAL).heal()).isFalse();
  }

  @Test
  void aNewReleaseStartsAfreshAndIsHealedAtOnceEvenIfTheOldOneWasJustHealed() {
    SiteDrift old = DriftDecision.decide(Optional.empty(), drifted("r1", T0), true, INTERVAL).record();

    Step step = DriftDecision.decide(Optional.of(old), drifted("r2", T0.plusSeconds(60)), true, INTERVAL);

    assertThat(step.change()).isEqualTo(Change.STARTED);
    assertThat(step.heal()).isTrue();
    assertThat(step.record().revision()).isEqualTo("r2");
    assertThat(step.record().driftingSince()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void theOldReleaseDriftEndsWhenTheNewOneIsInSync() {
    SiteDrift old = DriftDecision.decide(Optional.empty(), drifted("r1", T0), false, INTERVAL).record();

    assertThat(DriftDecision.decide(Optional.of(old), inSync("r2", T0.plusSeconds(60)), false, INTERVAL).change())
        .isEqualTo(Change.CLEARED);
  }
}
