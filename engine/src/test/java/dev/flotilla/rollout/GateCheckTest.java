package dev.flotilla.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Analysis;
import dev.flotilla.fleet.Analysis.Comparison;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateCheckTest {

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
    "0.005, <,  0.01, PASSED",
    "0.01,  <,  0.01, FAILED",
    "0.01,  <=, 0.01, PASSED",
    "0.02,  <=, 0.01, FAILED",
    "99.5,  >,  99.0, PASSED",
    "99.0,  >,  99.0, FAILED",
    "99.0,  >=, 99.0, PASSED",
    "98.9,  >=, 99.0, FAILED",
  })
  void analysisGateComparesTheValueWithTheThreshold(double value, String symbol, double threshold, String verdict) {
    Analysis analysis = new Analysis("q", threshold, Comparison.parse(symbol));
    GateVerdict v = GateCheck.analysis(analysis, new GateSignals(Map.of(), OptionalDouble.of(value)));
    assertThat(v.getClass().getSimpleName().toUpperCase()).isEqualTo(verdict);
  }

  @ParameterizedTest(name = "analysis without a value waits")
  @CsvSource({"<"})
  void analysisGateWaitsForAValue(String symbol) {
    GateVerdict v = GateCheck.analysis(new Analysis("q", 1, Comparison.parse(symbol)), GateSignals.NONE);
    assertThat(v).isInstanceOf(GateVerdict.Waiting.class);
  }

  @ParameterizedTest(name = "ci {0}, {1} -> {2}")
  @CsvSource({
    "PASSED,  PASSED,  PASSED",
    "PASSED,  PENDING, WAITING",
    "PASSED,  ,        WAITING",
    "PENDING, FAILED,  FAILED",
    "FAILED,  PASSED,  FAILED",
  })
  void ciGateNeedsEveryRequiredContextGreen(CiStatus build, CiStatus e2e, String verdict) {
    GateSignals signals = GateSignals.NONE.withCi("ci/build", build);
    if (e2e != null) signals = signals.withCi("ci/e2e", e2e);
    GateVerdict v = GateCheck.ci(List.of("ci/build", "ci/e2e"), signals);
    assertThat(v.getClass().getSimpleName().toUpperCase()).isEqualTo(verdict);
  }
}
