package dev.flotilla.provider.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.provider.ProviderToken;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GitHub's documented test vector ("Validating webhook deliveries"), and what must not pass. */
class WebhookSignatureTest {
  static final ProviderToken SECRET = ProviderToken.of("It's a Secret to Everybody");
  static final byte[] PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  static final String DOCUMENTED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void theDocumentedExampleSignatureMatches() {
    assertThat(WebhookSignature.matches(SECRET, PAYLOAD, DOCUMENTED)).isTrue();
    assertThat(WebhookSignature.sign(SECRET, PAYLOAD)).isEqualTo(DOCUMENTED);
  }

  @Test
  void anotherSecretDoesNotMatch() {
    assertThat(WebhookSignature.matches(ProviderToken.of("It's a Secret to Nobody"), PAYLOAD, DOCUMENTED)).isFalse();
  }

  @Test
  void aChangedPayloadDoesNotMatch() {
    assertThat(WebhookSignature.matches(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), DOCUMENTED)).isFalse();
  }

  @ParameterizedTest(name = "header [{0}] is refused")
  @NullSource
  @ValueSource(strings = {"", "sha256=", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18"})
  void aMissingOrMalformedOrWrongHeaderIsRefused(String header) {
    assertThat(WebhookSignature.matches(SECRET, PAYLOAD, header)).isFalse();
  }
}
