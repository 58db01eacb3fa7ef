package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SelectorExpressionTest {
  private final Site store = WavePlannerTest.site("store-1", "pop", Map.of("region", "eu-west", "canary", "true"));

  @ParameterizedTest(name = "''{0}'' matches: {1}")
  @CsvSource(delimiter = '|', value = {
      "region=eu-west | true",
      "region==eu-west | true",
      "region!=eu-west | false",
      "region in (eu-west, eu-central) | true",
      "region notin (eu-west) | false",
      "canary | true",
      "!canary | false",
      "!missing | true",
      "region=eu-west,canary=true | true",
      "region=eu-west,canary=false | false",
      "flotilla.dev/tier=pop | true",
      "flotilla.dev/tier in (edge,datacenter) | false",
  })
  void followsKubectlLabelSelectorSyntax(String expression, boolean expected) {
    assertThat(SelectorExpression.parse(expression).matches(store)).isEqualTo(expected);
  }

  @Test
  void rejectsWhatItCannotRead() {
    assertThatThrownBy(() -> SelectorExpression.parse("region in ()")).hasMessageContaining("lists no values");
    assertThatThrownBy(() -> SelectorExpression.parse("a=b=c")).hasMessageContaining("cannot read selector term 'a=b=c'");
  }
}
