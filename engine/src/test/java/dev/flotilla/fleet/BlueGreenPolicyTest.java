package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.testing.FleetFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy's {@code strategy: blueGreen} and {@code scaleDownDelay}: read, defaulted, validated, handed to its apps. */
class BlueGreenPolicyTest {
  @TempDir Path dir;

  private FleetFiles withPolicySpec(String extra) {
    return FleetFiles.minimal(dir).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          waves:
            - name: all
              selector: {}
        """ + extra);
  }

  private List<String> problems(FleetFiles files) {
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class, () -> FleetLoader.load(files.root()));
    assertThat(e).as("the fleet repo should be invalid").isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void aPolicyWithoutStrategyAppliesInPlace() throws Exception {
    FleetModel model = FleetLoader.load(withPolicySpec("").root());

    assertThat(model.policy("default").orElseThrow().blueGreenStrategy()).isEmpty();
    assertThat(model.applyOptions("web").blueGreen()).isNull();
  }

  @Test
  void blueGreenWithADelayReachesTheAppsOfThePolicy() throws Exception {
    FleetModel model = FleetLoader.load(withPolicySpec("  strategy: blueGreen\n  scaleDownDelay: 10m\n").root());

    assertThat(model.policy("default").orElseThrow().blueGreen()).isEqualTo(new BlueGreen(Duration.ofMinutes(10)));
    assertThat(model.applyOptions("web").blueGreen()).isEqualTo(new BlueGreen(Duration.ofMinutes(10)));
  }

  @Test
  void blueGreenWithoutADelayKeepsTheOldCopyThirtySeconds() throws Exception {
    FleetModel model = FleetLoader.load(withPolicySpec("  strategy: blueGreen\n").root());

    assertThat(model.applyOptions("web").blueGreen().scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anUnknownStrategyIsRefusedWithFileLineAndField() {
    assertThat(problems(withPolicySpec("  strategy: canary\n")))
        .containsExactly("policies/default.yaml:9: spec.strategy: expected one of [inPlace, blueGreen], got 'canary'");
  }

  @Test
  void aDelayWithoutBlueGreenIsRefused() {
    assertThat(problems(withPolicySpec("  scaleDownDelay: 5m\n")))
        .containsExactly("policies/default.yaml:9: spec.scaleDownDelay: only a policy with strategy: blueGreen has a scale-down delay");
  }

  @Test
  void aDelayLongerThanADayIsRefused() {
    assertThat(problems(withPolicySpec("  strategy: blueGreen\n  scaleDownDelay: 25h\n")))
        .containsExactly("policies/default.yaml:10: spec.scaleDownDelay: must be at most 24h (the old copy is kept this long after the switch), got 25h");
  }

  @Test
  void aDelayThatIsNoDurationIsRefused() {
    assertThat(problems(withPolicySpec("  strategy: blueGreen\n  scaleDownDelay: soon\n")))
        .containsExactly("policies/default.yaml:10: spec.scaleDownDelay: expected a duration such as 30s, 10m or 1h30m, got 'soon'");
  }
}
