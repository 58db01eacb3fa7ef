package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.engine.SignerListRule.Governing;
import dev.flotilla.engine.SignerListRule.LastAccepted;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Which allowed-signers list judges a new revision, with and without the engine's pinned list. */
class SignerListRuleTest {

  @ParameterizedTest(name = "pinned={0}, last accepted {1} -> judged by {2}")
  @CsvSource({
      // The last accepted revision's list governs whenever there is one, pin or not: a revision cannot let itself in.
      "true,  WITH_LIST,    LAST_ACCEPTED",
      "false, WITH_LIST,    LAST_ACCEPTED",
      // With a pin, no revision escapes a list: where no earlier list judges, the pinned one does.
      "true,  NOTHING,      PINNED",
      "true,  WITHOUT_LIST, PINNED",
      "true,  UNREADABLE,   PINNED",
      // Without a pin, as before: trust on first use, and no signatures after a revision without a list.
      "false, NOTHING,      OWN",
      "false, UNREADABLE,   OWN",
      "false, WITHOUT_LIST, NONE",
  })
  void theGoverningListFollowsThePinAndTheLastAcceptedRevision(boolean pinned, LastAccepted last, Governing expected) {
    assertThat(SignerListRule.governing(pinned, last)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "last accepted {0}")
  @EnumSource(LastAccepted.class)
  void withAPinNoRevisionIsJudgedByItsOwnListOrByNone(LastAccepted last) {
    assertThat(SignerListRule.governing(true, last)).isNotIn(Governing.OWN, Governing.NONE);
  }
}
