package dev.flotilla.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits an app's targeted sites into the waves of its policy. A site belongs to the first wave
 * that selects it. {@code percent} keeps a deterministic share of the sites that the rest of the
 * selector matches among those no earlier wave took: the sites are ranked by a stable hash of
 * their name and the first ceil(n * percent / 100) are taken, at least one. Adding or removing a
 * site therefore moves few others between waves.
 */
public final class WavePlanner {

  private WavePlanner() {}

  /** The waves in policy order, and the targeted sites no wave selects (a validation error). */
  public record Result(List<Wave> waves, List<Site> unselected) {
    public Result {
      waves = List.copyOf(waves);
      unselected = List.copyOf(unselected);
    }
  }

  public static Result plan(RolloutPolicy policy, List<Site> targets) {
    Set<Site> remaining = new LinkedHashSet<>(targets.stream().sorted(Comparator.comparing(Site::name)).toList());
    List<Wave> waves = new ArrayList<>();
    for (WaveSpec spec : policy.waves()) {
      List<Site> matching = remaining.stream().filter(spec.selector()::matches).toList();
      List<Site> chosen = spec.selector().percent() == null ? matching : share(matching, spec.selector().percent());
      chosen = chosen.stream().sorted(Comparator.comparing(Site::name)).toList();
      chosen.forEach(remaining::remove); // not removeAll: with a List argument it can be quadratic
      waves.add(new Wave(spec, chosen));
    }
    return new Result(waves, List.copyOf(remaining));
  }

  static List<Site> share(List<Site> matching, int percent) {
    if (matching.isEmpty()) return List.of();
    int n = Math.max(1, (int) Math.ceil(matching.size() * percent / 100.0));
    MessageDigest sha = sha256();
    record Ranked(Site site, long rank) {}
    return matching.stream()
        .map(s -> new Ranked(s, rank(sha, s.name())))
        .sorted(Comparator.comparingLong(Ranked::rank).thenComparing(r -> r.site().name()))
        .limit(n)
        .map(Ranked::site)
        .toList();
  }

  /** A stable, well-spread rank for a site name: the first 8 bytes of its SHA-256, unsigned. */
  static long rank(String siteName) {
    return rank(sha256(), siteName);
  }

  private static long rank(MessageDigest sha, String siteName) {
    byte[] h = sha.digest(siteName.getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
    return v ^ Long.MIN_VALUE; // unsigned order through signed compare
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
