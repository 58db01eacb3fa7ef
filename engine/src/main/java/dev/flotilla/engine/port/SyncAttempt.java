package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One sync of a fleet repo's branch as stored for {@code GET /api/v1/sync}, or several identical
 * ones in a row folded into one: when it first ({@code at}) and last ({@code lastAt}) happened and
 * how many times ({@code count}), the revision fetched (null when fetching failed), how it went
 * ({@code synced}, {@code unchanged}, {@code invalid}, {@code refused}, {@code failed}), its error,
 * the fleet's validation problems ({@code file:line: field: message}), the apps whose release failed
 * with why, and the engine (its host name) that made it last.
 *
 * <p>What a row holds is bounded, so a fleet with thousands of problems cannot grow it without
 * end: the error is cut to {@value #MAX_ERROR} characters, each problem and reason to {@value
 * #MAX_LINE}, and past {@value #MAX_PROBLEMS} problems the rest is one line saying how many more.
 */
public record SyncAttempt(String repo, String branch, Instant at, Instant lastAt, int count, String revision, String outcome,
    String error, List<String> problems, Map<String, String> failedReleases, String replica) {
  public static final int MAX_ERROR = 8000;
  public static final int MAX_LINE = 1000;
  public static final int MAX_PROBLEMS = 100;

  public SyncAttempt {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(branch, "branch");
    at = StoredInstants.micros(Objects.requireNonNull(at, "at"));
    lastAt = StoredInstants.micros(Objects.requireNonNull(lastAt, "lastAt"));
    if (count < 1) throw new IllegalArgumentException("count must be 1 or more, got " + count);
    Objects.requireNonNull(outcome, "outcome");
    error = error == null ? null : cut(error, MAX_ERROR);
    problems = bounded(problems);
    TreeMap<String, String> reasons = new TreeMap<>();
    failedReleases.forEach((app, reason) -> reasons.put(app, cut(reason, MAX_LINE)));
    failedReleases = java.util.Collections.unmodifiableMap(reasons);
    Objects.requireNonNull(replica, "replica");
  }

  /** A single attempt, seen once at {@code at}. */
  public static SyncAttempt once(String repo, String branch, Instant at, String revision, String outcome, String error,
      List<String> problems, Map<String, String> failedReleases, String replica) {
    return new SyncAttempt(repo, branch, at, at, 1, revision, outcome, error, problems, failedReleases, replica);
  }

  /**
   * Whether {@code next} repeats this attempt exactly: the same repo, branch, revision, outcome,
   * error, problems and failed releases (when and on which replica do not count).
   */
  public boolean repeatedBy(SyncAttempt next) {
    return repo.equals(next.repo) && branch.equals(next.branch) && Objects.equals(revision, next.revision)
        && outcome.equals(next.outcome) && Objects.equals(error, next.error) && problems.equals(next.problems)
        && failedReleases.equals(next.failedReleases);
  }

  /** This attempt with {@code next} folded in: one more time, last seen at {@code next}'s time, on its replica. */
  public SyncAttempt with(SyncAttempt next) {
    return new SyncAttempt(repo, branch, at, next.lastAt, count + next.count, revision, outcome, error, problems, failedReleases,
        next.replica);
  }

  private static List<String> bounded(List<String> problems) {
    List<String> out = new ArrayList<>();
    for (String p : problems) {
      if (out.size() == MAX_PROBLEMS - 1 && problems.size() > MAX_PROBLEMS) {
        out.add("... and " + (problems.size() - out.size()) + " more problems");
        break;
      }
      out.add(cut(p, MAX_LINE));
    }
    return List.copyOf(out);
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
