package dev.flotilla.fleet;

import static dev.flotilla.fleet.LabelRequirement.Operator.DOES_NOT_EXIST;
import static dev.flotilla.fleet.LabelRequirement.Operator.EXISTS;
import static dev.flotilla.fleet.LabelRequirement.Operator.IN;
import static dev.flotilla.fleet.LabelRequirement.Operator.NOT_IN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SiteSelectorTest {
  private final Site paris = WavePlannerTest.site("store-paris", "pop", Map.of("region", "eu-west", "canary", "true"));

  @Test
  void emptySelectorMatchesEverySite() {
    assertThat(SiteSelector.ALL.matches(paris)).isTrue();
  }

  @Test
  void everyTermMustHold() {
    SiteSelector selector = new SiteSelector(List.of("pop"), null, Map.of("region", "eu-central"), null, null);
    assertThat(selector.matches(paris)).isFalse();
    assertThat(new SiteSelector(List.of("pop"), null, Map.of("region", "eu-west"), null, null).matches(paris)).isTrue();
  }

  @Test
  void namesAndTiersAreLists() {
    assertThat(new SiteSelector(null, List.of("a", "store-paris"), null, null, null).matches(paris)).isTrue();
    assertThat(new SiteSelector(List.of("edge", "dc"), null, null, null, null).matches(paris)).isFalse();
  }

  @Test
  void builtInLabelsAreSelectable() {
    SiteSelector selector = new SiteSelector(null, null, Map.of("flotilla.dev/tier", "pop", "flotilla.dev/delivery", "pull"), null, null);
    assertThat(selector.matches(paris)).isTrue();
  }

  @ParameterizedTest(name = "{0} {1} [{2}] matches: {3}")
  @CsvSource({
      "region, In, eu-west;eu-central, true",
      "region, In, us-east, false",
      "region, NotIn, us-east, true",
      "region, NotIn, eu-west, false",
      "missing, NotIn, x, true",
      "canary, Exists, '', true",
      "missing, Exists, '', false",
      "missing, DoesNotExist, '', true",
      "canary, DoesNotExist, '', false",
  })
  void matchExpressionsFollowKubernetesSemantics(String key, String op, String values, boolean expected) {
    List<String> list = values.isEmpty() ? List.of() : List.of(values.split(";"));
    LabelRequirement r = new LabelRequirement(key, LabelRequirement.Operator.parse(op), list);
    assertThat(new SiteSelector(null, null, null, List.of(r), null).matches(paris)).isEqualTo(expected);
  }

  @Test
  void operatorWordsRoundTrip() {
    for (var op : List.of(IN, NOT_IN, EXISTS, DOES_NOT_EXIST)) {
      assertThat(LabelRequirement.Operator.parse(op.word())).isEqualTo(op);
    }
  }
}
