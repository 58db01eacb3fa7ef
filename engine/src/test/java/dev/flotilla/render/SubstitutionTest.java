package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SubstitutionTest {
  private static final Map<String, String> VALUES = Map.of("STORE_ID", "0001", "REGION", "eu-west", "_x1", "v");

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "id: ${STORE_ID}                     | id: 0001",
      "${REGION}-${STORE_ID}               | eu-west-0001",
      "${_x1}                              | v",
      "${MISSING:=fallback}                | fallback",
      "${REGION:=fallback}                 | eu-west",
      "\"[${MISSING:=}]\"                  | []",
      "${MISSING:=a b:c}                   | a b:c",
      "$${STORE_ID}                        | ${STORE_ID}",
      "$${MISSING} and ${STORE_ID}         | ${MISSING} and 0001",
      "costs $5                            | costs $5",
      "${1abc} ${ STORE_ID} ${x#y} ${open  | ${1abc} ${ STORE_ID} ${x#y} ${open",
      "$                                   | $",
  })
  void replacesReferencesByTheFluxRules(String text, String expected) throws Exception {
    assertThat(Substitution.apply(text, VALUES)).isEqualTo(expected);
  }

  @Test
  void textWithoutDollarIsReturnedAsTheSameString() throws Exception {
    String text = "kind: ConfigMap\n";

    assertThat(Substitution.apply(text, VALUES)).isSameAs(text);
  }

  @Test
  void undefinedVariableWithoutDefaultIsAnErrorNamingIt() {
    assertThatThrownBy(() -> Substitution.apply("a: ${STORE_ID}\nb: ${NOPE}\n", VALUES))
        .isInstanceOfSatisfying(Substitution.UndefinedVariable.class, e -> assertThat(e.variable()).isEqualTo("NOPE"));
  }

  @Test
  void substitutedValuesAreNotScannedAgain() throws Exception {
    assertThat(Substitution.apply("${A}", Map.of("A", "${B}"))).isEqualTo("${B}");
  }
}
