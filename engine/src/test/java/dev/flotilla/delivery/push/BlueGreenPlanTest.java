package dev.flotilla.delivery.push;

import static dev.flotilla.delivery.push.BlueGreenState.Color.BLUE;
import static dev.flotilla.delivery.push.BlueGreenState.Color.GREEN;
import static dev.flotilla.delivery.push.TestObjects.map;
import static dev.flotilla.delivery.push.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.delivery.push.BlueGreenPlan.Hold;
import dev.flotilla.delivery.push.BlueGreenPlan.Placement;
import dev.flotilla.delivery.push.BlueGreenPlan.ScaleDown;
import dev.flotilla.delivery.push.BlueGreenPlan.ScaleDownInPlace;
import dev.flotilla.delivery.push.BlueGreenState.InPlaceCopy;
import dev.flotilla.delivery.push.BlueGreenPlan.Step;
import dev.flotilla.delivery.push.BlueGreenPlan.Switch;
import dev.flotilla.delivery.push.BlueGreenState.Slot;
import dev.flotilla.fleet.BlueGreen;
import dev.flotilla.health.HealthStatus;
import dev.flotilla.health.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Blue/green's decisions at one site, without a cluster: where a release goes, when to switch and scale down, how objects look. */
class BlueGreenPlanTest {
  private static final Instant NOW = Instant.parse("2026-12-10T10:00:00Z");
  private static final BlueGreen TEN_MINUTES = new BlueGreen(Duration.ofMinutes(10));

  private static final Map<String, Object> DEPLOYMENT = yaml("""
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web, tier: front}}
          spec: {containers: [{name: web, image: web:2}]}
      """);
  private static final Map<String, Object> SERVICE = yaml("""
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec: {selector: {app: web}, ports: [{port: 80}]}
      """);
  private static final Map<String, Object> OTHER_SERVICE = yaml("""
      apiVersion: v1
      kind: Service
      metadata: {name: db, namespace: shop}
      spec: {selector: {app: db}, ports: [{port: 5432}]}
      """);
  private static final Map<String, Object> STATEFUL_SET = yaml("""
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db, namespace: shop}
      spec:
        selector: {matchLabels: {app: db}}
        template: {metadata: {labels: {app: db}}}
      """);

  private static BlueGreenState state(BlueGreenState.Color active, Map<BlueGreenState.Color, Slot> slots) {
    return new BlueGreenState(active, slots, Duration.ofMinutes(10), false, List.of(SERVICE));
  }

  private static Placement place(BlueGreenState current, String revision) {
    return BlueGreenPlan.place(current, revision, NOW, TEN_MINUTES, false, List.of(SERVICE));
  }

  @Test
  void theFirstReleaseIsBlueAndSelectedAtOnce() {
    Placement p = place(null, "r1");

    assertThat(p.workloads()).isEqualTo(BLUE);
    assertThat(p.services()).isEqualTo(BLUE);
    assertThat(p.next().active()).isEqualTo(BLUE);
    assertThat(p.next().slots()).containsExactly(Map.entry(BLUE, new Slot("r1", null)));
    assertThat(p.next().preview()).isEmpty();
  }

  @Test
  void aNewRevisionGoesToTheOtherColorWhileTheServicesStay() {
    Placement p = place(state(BLUE, Map.of(BLUE, new Slot("r1", null))), "r2");

    assertThat(p.workloads()).isEqualTo(GREEN);
    assertThat(p.services()).isEqualTo(BLUE);
    assertThat(p.next().active()).isEqualTo(BLUE);
    assertThat(p.next().preview()).contains(GREEN);
    assertThat(p.next().slot(GREEN)).isEqualTo(new Slot("r2", null));
  }

  @Test
  void theActiveRevisionAgainStaysWhereItIs() {
    BlueGreenState s = state(GREEN, Map.of(GREEN, new Slot("r2", null), BLUE, new Slot("r1", NOW.plusSeconds(60))));

    Placement p = place(s, "r2");

    assertThat(p.workloads()).isEqualTo(GREEN);
    assertThat(p.services()).isEqualTo(GREEN);
    assertThat(p.next().oldCopy()).as("the old copy keeps its time").contains(BLUE);
    assertThat(p.next().slot(BLUE).scaleDownAt()).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void theActiveRevisionAgainAbandonsAPreviewBesideIt() {
    BlueGreenState s = state(BLUE, Map.of(BLUE, new Slot("r1", null), GREEN, new Slot("r2", null)));

    Placement p = place(s, "r1");

    assertThat(p.workloads()).isEqualTo(BLUE);
    assertThat(p.services()).isEqualTo(BLUE);
    assertThat(p.next().colors()).containsExactly(BLUE);
  }

  @Test
  void theOldCopysRevisionSwitchesBackAtOnceAndTheOtherCopyGetsTheDelay() {
    BlueGreenState s = state(GREEN, Map.of(GREEN, new Slot("r2", null), BLUE, new Slot("r1", NOW.plusSeconds(60))));

    Placement p = place(s, "r1");

    assertThat(p.workloads()).isEqualTo(BLUE);
    assertThat(p.services()).as("a rollback does not wait: the old copy ran until just now").isEqualTo(BLUE);
    assertThat(p.next().active()).isEqualTo(BLUE);
    assertThat(p.next().slot(BLUE)).isEqualTo(new Slot("r1", null));
    assertThat(p.next().slot(GREEN)).isEqualTo(new Slot("r2", NOW.plus(Duration.ofMinutes(10))));
  }

  @Test
  void thePreviewsRevisionAgainKeepsThePreview() {
    BlueGreenState s = state(BLUE, Map.of(BLUE, new Slot("r1", null), GREEN, new Slot("r2", null)));

    Placement p = place(s, "r2");

    assertThat(p.workloads()).isEqualTo(GREEN);
    assertThat(p.services()).isEqualTo(BLUE);
    assertThat(p.next().preview()).contains(GREEN);
  }

  @Test
  void aThirdRevisionReplacesAnOldCopyStillThere() {
    BlueGreenState s = state(GREEN, Map.of(GREEN, new Slot("r2", null), BLUE, new Slot("r1", NOW.plusSeconds(60))));

    Placement p = place(s, "r3");

    assertThat(p.workloads()).isEqualTo(BLUE);
    assertThat(p.services()).isEqualTo(GREEN);
    assertThat(p.next().slot(BLUE)).isEqualTo(new Slot("r3", null));
    assertThat(p.next().preview()).contains(BLUE);
  }

  @Test
  void aHealthyPreviewIsSwitchedToAndTheOldCopyGetsTheDelay() {
    BlueGreenState s = state(BLUE, Map.of(BLUE, new Slot("r1", null), GREEN, new Slot("r2", null)));

    Step step = BlueGreenPlan.step(s, Verdict.healthy(""), NOW);

    assertThat(step).isInstanceOfSatisfying(Switch.class, sw -> {
      assertThat(sw.to()).isEqualTo(GREEN);
      assertThat(sw.next().active()).isEqualTo(GREEN);
      assertThat(sw.next().slot(BLUE)).isEqualTo(new Slot("r1", NOW.plus(Duration.ofMinutes(10))));
    });
  }

  @Test
  void aPreviewNotHealthyYetHoldsAndTheSiteIsProgressing() {
    BlueGreenState s = state(BLUE, Map.of(BLUE, new Slot("r1", null), GREEN, new Slot("r2", null)));

    Step step = BlueGreenPlan.step(s, Verdict.progressing("Deployment/shop/web-green: 0 of 2 replicas updated"), NOW);

    assertThat(step).isInstanceOfSatisfying(Hold.class, h -> {
      assertThat(h.next()).isEqualTo(s);
      assertThat(h.preview().status()).isEqualTo(HealthStatus.PROGRESSING);
      assertThat(h.preview().reason()).contains("green copy of r2").contains("Services still on blue").contains("0 of 2");
    });
  }

  @Test
  void aDegradedPreviewIsProgressingUntilItFails() {
    BlueGreenState s = state(BLUE, Map.of(BLUE, new Slot("r1", null), GREEN, new Slot("r2", null)));

    Step step = BlueGreenPlan.step(s, Verdict.degraded("replicas unavailable"), NOW);

    assertThat(((Hold) step).preview().status()).isEqualTo(HealthStatus.PROGRESSING);
  }

  @Test
  void aFailedPreviewIsHeldFailedAndNeverSwitchedTo() {
    BlueGreenState s = state(BLUE, Map.of(BLUE, new Slot("r1", null), GREEN, new Slot("r2", null)));

    Step step = BlueGreenPlan.step(s, Verdict.failed("progress deadline exceeded"), NOW.plus(Duration.ofDays(1)));

    assertThat(step).isInstanceOfSatisfying(Hold.class, h -> {
      assertThat(h.next().active()).isEqualTo(BLUE);
      assertThat(h.preview().status()).isEqualTo(HealthStatus.FAILED);
      assertThat(h.preview().reason()).contains("green copy of r2").contains("failed").contains("progress deadline exceeded");
    });
  }

  @Test
  void theOldCopyStaysUntilItsTimeAndGoesThen() {
    BlueGreenState s = state(GREEN, Map.of(GREEN, new Slot("r2", null), BLUE, new Slot("r1", NOW.plusSeconds(600))));

    assertThat(BlueGreenPlan.step(s, null, NOW.plusSeconds(599))).isInstanceOf(Hold.class);
    Step due = BlueGreenPlan.step(s, null, NOW.plusSeconds(600));
    assertThat(due).isInstanceOfSatisfying(ScaleDown.class, sd -> {
      assertThat(sd.copy()).isEqualTo(BLUE);
      assertThat(sd.next().colors()).containsExactly(GREEN);
    });
  }

  @Test
  void aDeploymentIsCopiedUnderItsColorWithTheLabelInSelectorAndTemplate() {
    Map<String, Object> green = BlueGreenPlan.colored(List.of(DEPLOYMENT), GREEN, BLUE).get(0);

    assertThat(map(green.get("metadata")).get("name")).isEqualTo("web-green");
    assertThat(map(map(green.get("metadata")).get("labels"))).containsEntry("flotilla.dev/color", "green").containsEntry("app", "web");
    Map<String, Object> spec = map(green.get("spec"));
    assertThat(map(map(spec.get("selector")).get("matchLabels"))).containsEntry("flotilla.dev/color", "green").containsEntry("app", "web");
    assertThat(map(map(map(spec.get("template")).get("metadata")).get("labels"))).containsEntry("flotilla.dev/color", "green");
    assertThat(map(map(DEPLOYMENT.get("metadata"))).get("name")).as("the render is not changed").isEqualTo("web");
  }

  @Test
  void onlyServicesSelectingADeploymentAreSwitchedAndStatefulSetsStayInPlace() {
    List<Map<String, Object>> out = BlueGreenPlan.colored(List.of(DEPLOYMENT, SERVICE, OTHER_SERVICE, STATEFUL_SET), GREEN, BLUE);

    assertThat(map(map(out.get(1).get("spec")).get("selector"))).containsEntry("flotilla.dev/color", "blue");
    assertThat(out.get(2)).as("selects a StatefulSet's pods: not switched").isEqualTo(OTHER_SERVICE);
    assertThat(out.get(3)).as("StatefulSets are not copied").isEqualTo(STATEFUL_SET);
    assertThat(BlueGreenPlan.switchedServices(List.of(DEPLOYMENT, SERVICE, OTHER_SERVICE, STATEFUL_SET))).containsExactly(SERVICE);
  }

  @Test
  void aCopyIsRecognizedByKindAndColorSuffix() {
    assertThat(BlueGreenPlan.isCopy(new ObjectRef("apps/v1", "Deployment", "shop", "web-green"), GREEN)).isTrue();
    assertThat(BlueGreenPlan.isCopy(new ObjectRef("apps/v1", "Deployment", "shop", "web-green"), BLUE)).isFalse();
    assertThat(BlueGreenPlan.isCopy(new ObjectRef("v1", "ConfigMap", "shop", "conf-green"), GREEN)).isFalse();
  }

  private static final ObjectRef WEB = new ObjectRef("apps/v1", "Deployment", "shop", "web");
  private static final InPlaceCopy IN_PLACE_R1 = new InPlaceCopy("r1", List.of(WEB), null);

  /** The state right after an in-place app's first blue/green apply of r2: the in-place copy serves, blue is a preview. */
  private static BlueGreenState adopting() {
    return place(null, IN_PLACE_R1, "r2").next();
  }

  /** The state once the blue copy of r2 was switched to: the in-place copy waits for its delay. */
  private static BlueGreenState adopted() {
    return ((Switch) BlueGreenPlan.step(adopting(), Verdict.healthy(""), NOW)).next();
  }

  private static Placement place(BlueGreenState current, InPlaceCopy found, String revision) {
    return BlueGreenPlan.place(current, found, revision, NOW, TEN_MINUTES, false, List.of(SERVICE));
  }

  @Test
  void theFirstReleaseOfAnAppRunningInPlaceIsABluePreviewWhileTheServicesKeepTheInPlaceDeployments() {
    Placement p = place(null, IN_PLACE_R1, "r2");

    assertThat(p.workloads()).isEqualTo(BLUE);
    assertThat(p.services()).as("as rendered: still selecting the uncolored pods").isNull();
    assertThat(p.next().inPlaceActive()).isTrue();
    assertThat(p.next().preview()).contains(BLUE);
    assertThat(p.next().inPlace()).isEqualTo(IN_PLACE_R1);
  }

  @Test
  void theInPlaceRevisionUnderABlueGreenPolicyStaysInPlaceWithoutACopy() {
    Placement p = place(null, IN_PLACE_R1, "r1");

    assertThat(p.workloads()).isNull();
    assertThat(p.services()).isNull();
    assertThat(p.next()).as("no state: the app still runs in place").isNull();
  }

  @Test
  void anInPlaceCopyOfUnknownRevisionIsStillAdopted() {
    Placement p = place(null, new InPlaceCopy(null, List.of(WEB), null), "r2");

    assertThat(p.workloads()).isEqualTo(BLUE);
    assertThat(p.services()).isNull();
  }

  @Test
  void theInPlaceCopyIsKeptByTheApplyAndTheBluePreviewDoesNotServe() {
    Placement p = place(null, IN_PLACE_R1, "r2");

    assertThat(BlueGreenApplier.kept(p).test(WEB)).as("not pruned").isTrue();
    assertThat(BlueGreenPlan.serves(WEB, p.next())).isTrue();
    assertThat(BlueGreenPlan.serves(new ObjectRef("apps/v1", "Deployment", "shop", "web-blue"), p.next())).isFalse();
  }

  @Test
  void aBluePreviewBesideTheInPlaceCopyHoldsUntilHealthyThenTheServicesSwitchAndTheInPlaceCopyGetsTheDelay() {
    Step waiting = BlueGreenPlan.step(adopting(), Verdict.progressing("0 of 2 replicas updated"), NOW);
    assertThat(waiting).isInstanceOfSatisfying(Hold.class, h -> assertThat(h.preview().reason())
        .contains("blue copy of r2").contains("Services still on the in-place Deployments"));

    Step healthy = BlueGreenPlan.step(adopting(), Verdict.healthy(""), NOW);

    assertThat(healthy).isInstanceOfSatisfying(Switch.class, sw -> {
      assertThat(sw.to()).isEqualTo(BLUE);
      assertThat(sw.next().active()).isEqualTo(BLUE);
      assertThat(sw.next().inPlace().scaleDownAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
      assertThat(BlueGreenPlan.serves(WEB, sw.next())).isFalse();
    });
  }

  @Test
  void aFailedBluePreviewIsNeverSwitchedToAndTheInPlaceCopyStays() {
    Step step = BlueGreenPlan.step(adopting(), Verdict.failed("progress deadline exceeded"), NOW.plus(Duration.ofDays(1)));

    assertThat(step).isInstanceOfSatisfying(Hold.class, h -> {
      assertThat(h.preview().status()).isEqualTo(HealthStatus.FAILED);
      assertThat(h.next().inPlaceActive()).isTrue();
    });
  }

  @Test
  void theInPlaceCopyIsDeletedAfterTheDelay() {
    BlueGreenState s = adopted();

    assertThat(BlueGreenPlan.step(s, null, NOW.plus(Duration.ofMinutes(10)).minusSeconds(1))).isInstanceOf(Hold.class);
    assertThat(BlueGreenPlan.step(s, null, NOW.plus(Duration.ofMinutes(10)))).isInstanceOfSatisfying(ScaleDownInPlace.class, sd -> {
      assertThat(sd.deployments()).containsExactly(WEB);
      assertThat(sd.next().inPlace()).isNull();
      assertThat(sd.next().active()).isEqualTo(BLUE);
    });
  }

  @Test
  void aRollbackBeforeTheSwitchAbandonsTheBluePreviewAndLeavesTheAppInPlace() {
    Placement p = place(adopting(), null, "r1");

    assertThat(p.workloads()).isNull();
    assertThat(p.services()).isNull();
    assertThat(p.next()).isNull();
    assertThat(BlueGreenApplier.kept(p).test(new ObjectRef("apps/v1", "Deployment", "shop", "web-blue"))).as("pruned").isFalse();
  }

  @Test
  void aRollbackAfterTheSwitchWhileTheInPlaceCopyExistsSwitchesBackToItAtOnce() {
    Placement p = place(adopted(), null, "r1");

    assertThat(p.workloads()).as("the in-place Deployments re-applied as rendered").isNull();
    assertThat(p.services()).as("the Services lose the color").isNull();
    assertThat(p.next().inPlaceActive()).isTrue();
    assertThat(p.next().inPlace().scaleDownAt()).isNull();
    assertThat(p.next().oldCopy()).contains(BLUE);
    assertThat(p.next().slot(BLUE)).isEqualTo(new Slot("r2", NOW.plus(Duration.ofMinutes(10))));
    assertThat(BlueGreenApplier.kept(p).test(new ObjectRef("apps/v1", "Deployment", "shop", "web-blue"))).isTrue();
  }

  @Test
  void afterARollbackToTheInPlaceCopyTheBlueCopyGoesAfterTheDelayAndTheStateWithIt() {
    BlueGreenState back = place(adopted(), null, "r1").next();

    Step step = BlueGreenPlan.step(back, null, NOW.plus(Duration.ofMinutes(10)));

    assertThat(step).isInstanceOfSatisfying(ScaleDown.class, sd -> {
      assertThat(sd.copy()).isEqualTo(BLUE);
      assertThat(sd.next()).as("only the in-place copy is left: the app runs in place").isNull();
    });
  }

  @Test
  void aNewRevisionBesideTheBlueCopyAdoptedReplacesTheInPlaceCopy() {
    Placement p = place(adopted(), null, "r3");

    assertThat(p.workloads()).isEqualTo(GREEN);
    assertThat(p.services()).isEqualTo(BLUE);
    assertThat(p.next().inPlace()).isNull();
    assertThat(BlueGreenApplier.kept(p).test(WEB)).as("pruned by the apply, as an old copy is replaced").isFalse();
  }

  @Test
  void aNewRevisionWhileAdoptingReplacesTheBluePreview() {
    Placement p = place(adopting(), null, "r3");

    assertThat(p.workloads()).isEqualTo(BLUE);
    assertThat(p.services()).isNull();
    assertThat(p.next().slot(BLUE)).isEqualTo(new Slot("r3", null));
    assertThat(p.next().inPlace()).isEqualTo(IN_PLACE_R1);
  }

  @Test
  void theInPlaceCopyIsNotLookedForOnceTheAppHasAState() {
    BlueGreenState s = state(BLUE, Map.of(BLUE, new Slot("r1", null)));

    Placement p = place(s, IN_PLACE_R1, "r2");

    assertThat(p.services()).isEqualTo(BLUE);
    assertThat(p.next().inPlace()).isNull();
  }

  @Test
  void anAdoptionStateReadsBackAsWrittenAndAStateOfBeforeStillReads() {
    BlueGreenState adopting = adopting();
    BlueGreenState adopted = adopted();

    assertThat(BlueGreenState.decode(adopting.encode())).isEqualTo(adopting);
    assertThat(BlueGreenState.decode(adopted.encode())).isEqualTo(adopted);
    BlueGreenState before = BlueGreenState.decode("{\"active\":\"green\",\"copies\":{\"blue\":{\"revision\":\"r1\","
        + "\"scaleDownAt\":\"2026-12-10T10:00:00Z\"},\"green\":{\"revision\":\"r2\"}},\"scaleDownDelaySeconds\":600,"
        + "\"forceConflicts\":false,\"services\":[]}");
    assertThat(before.active()).isEqualTo(GREEN);
    assertThat(before.inPlace()).isNull();
    assertThat(before.oldCopy()).contains(BLUE);
  }

  @Test
  void theStateReadsBackAsWritten() {
    BlueGreenState s = new BlueGreenState(GREEN, Map.of(GREEN, new Slot("r2", null), BLUE, new Slot("r1", NOW)),
        Duration.ofMinutes(10), true, List.of(SERVICE));

    assertThat(BlueGreenState.decode(s.encode())).isEqualTo(s);
  }

  @Test
  void aHandEditedStateIsRefused() {
    assertThatThrownBy(() -> BlueGreenState.decode("{\"active\": \"purple\", \"copies\": {}, \"scaleDownDelaySeconds\": 1}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not what Flotilla wrote");
    assertThatThrownBy(() -> BlueGreenState.decode("not json")).isInstanceOf(IllegalArgumentException.class);
  }
}
