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
      "${MISSING:-fallback}                | fallback",
      "${REGION:-fallback}                 | eu-west",
      "${1abc} ${ STORE_ID} ${#x} ${open   | ${1abc} ${ STORE_ID} ${#x} ${open",
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
        .isInstanceOfSatisfying(Substitution.Refused.class,
            e -> assertThat(e.issue()).isEqualTo(new Substitution.Issue("NOPE", "${NOPE}", true)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "echo ${FRONTEND#http://}     | ${FRONTEND#http://}",
      "${STORE_ID/0/9}              | ${STORE_ID/0/9}",
      "${REGION:+set}               | ${REGION:+set}",
      "${MISSING-default}           | ${MISSING-default}",
      "${REGION^^}                  | ${REGION^^}",
  })
  void otherShellFormsAreRefusedNotPassedThroughSilently(String text, String reference) {
    assertThatThrownBy(() -> Substitution.apply(text, VALUES))
        .isInstanceOfSatisfying(Substitution.Refused.class, e -> {
          assertThat(e.issue().reference()).isEqualTo(reference);
          assertThat(e.issue().undefined()).isFalse();
        });
  }

  @Test
  void issuesListsEveryProblemOfATextOnce() {
    assertThat(Substitution.issues("${A} ${B:=b} ${C#x} ${A} $${D} ${STORE_ID}", VALUES)).containsExactly(
        new Substitution.Issue("A", "${A}", true), new Substitution.Issue("C", "${C#x}", false));
  }

  @Test
  void substitutedValuesAreNotScannedAgain() throws Exception {
    assertThat(Substitution.apply("${A}", Map.of("A", "${B}"))).isEqualTo("${B}");
  }
}
