package dev.flotilla.provider.github;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to try a provider call again: after a connection failure, a 5xx, a 429, or a 403 that says
 * the rate limit is spent. The wait honours {@code Retry-After} (seconds) and
 * {@code X-RateLimit-Reset} (epoch seconds), else doubles from {@code base}; every wait is capped
 * at {@code maxWait} and a call is tried at most {@code attempts} times, so a provider outage costs
 * a bounded time.
 */
public record Retry(int attempts, Duration base, Duration maxWait) {
  public static final Retry DEFAULT = new Retry(4, Duration.ofMillis(500), Duration.ofSeconds(30));

  public Retry {
    if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
  }

  /** Whether the answer is worth another try. */
  public static boolean retryable(HttpResponse<?> response) {
    int s = response.statusCode();
    if (s == 429 || s >= 500) return true;
    return s == 403 && (response.headers().firstValue("retry-after").isPresent()
        || response.headers().firstValue("x-ratelimit-remaining").map("0"::equals).orElse(false));
  }

  /** How long to wait before try number {@code attempt + 1} (attempt counts from 1). */
  public Duration waitAfter(int attempt, Optional<HttpResponse<?>> response, Clock clock) {
    Duration wait = base.multipliedBy(1L << Math.min(attempt - 1, 20));
    if (response.isPresent()) {
      Optional<Duration> told = told(response.get(), clock);
      if (told.isPresent()) wait = told.get();
    }
    return wait.compareTo(maxWait) > 0 ? maxWait : wait.isNegative() ? Duration.ZERO : wait;
  }

  private static Optional<Duration> told(HttpResponse<?> response, Clock clock) {
    Optional<String> after = response.headers().firstValue("retry-after");
    if (after.isPresent()) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(after.get().strip())));
      } catch (NumberFormatException e) {
        return Optional.empty(); // an HTTP date: rare from GitHub; fall back to doubling
      }
    }
    boolean spent = response.headers().firstValue("x-ratelimit-remaining").map("0"::equals).orElse(false);
    Optional<String> reset = response.headers().firstValue("x-ratelimit-reset");
    if (spent && reset.isPresent()) {
      try {
        return Optional.of(Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(reset.get().strip()))));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
