package dev.flotilla.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A secret for a Git provider (an API token, a webhook secret), read from a file or an environment
 * variable, never from Git. {@link #toString} never shows it, so it cannot reach a log by accident.
 */
public final class ProviderToken {
  private final String value;

  private ProviderToken(String value) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException("the token is empty");
    this.value = value;
  }

  public static ProviderToken of(String value) {
    return new ProviderToken(value.strip());
  }

  /** From {@code file} when given, else from the environment variable {@code env}; empty when neither holds one. */
  public static Optional<ProviderToken> fromFileOrEnv(Path file, String env, Map<String, String> environment) throws IOException {
    if (file != null) {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) throw new IOException("the token file " + file + " is empty");
      return Optional.of(new ProviderToken(text));
    }
    String fromEnv = environment.get(env);
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(new ProviderToken(fromEnv.strip()));
  }

  /** The secret itself, for the one place that sends it (a header) or checks with it (an HMAC). */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "ProviderToken[***]";
  }
}
