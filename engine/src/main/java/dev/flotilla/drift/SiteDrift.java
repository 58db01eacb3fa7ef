package dev.flotilla.drift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the last drift check of one app at one site found: the revision compared, how many objects
 * drifted, a short summary of their fields (at most {@value #MAX_FIELDS} lines of at most {@value
 * #MAX_LINE} characters, so one wildly drifted site cannot fill the store), when it was checked,
 * since when it drifts (null while in sync) and when it was last healed (null if never).
 */
public record SiteDrift(String site, String app, String revision, int objects, List<String> fields, Instant checkedAt,
    Instant driftingSince, Instant healedAt) {
  public static final int MAX_FIELDS = 20;
  public static final int MAX_LINE = 200;

  public SiteDrift {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(checkedAt, "checkedAt");
    fields = List.copyOf(fields);
    if (objects < 0) throw new IllegalArgumentException("objects must be 0 or more, got " + objects);
  }

  /**
   * A fresh observation: {@code byObject} maps each drifted object ({@code Kind/namespace/name}) to
   * its drifted fields. Lines read {@code Deployment/web/web: spec.replicas: want 2, live 7}; what
   * does not fit is counted in a last line ({@code … and 12 more fields}).
   */
  public static SiteDrift observed(String site, String app, String revision, Map<String, List<FieldDrift>> byObject, Instant at) {
    List<String> lines = new ArrayList<>();
    int total = 0;
    for (var e : byObject.entrySet()) {
      for (FieldDrift f : e.getValue()) {
        total++;
        if (lines.size() < MAX_FIELDS) lines.add(line(e.getKey(), f));
      }
    }
    if (total > lines.size()) {
      lines.set(lines.size() - 1, "… and " + (total - lines.size() + 1) + " more fields");
    }
    return new SiteDrift(site, app, revision, byObject.size(), lines, at, byObject.isEmpty() ? null : at, null);
  }

  private static String line(String object, FieldDrift f) {
    String text = object + ": " + (f.path().isEmpty() ? "missing from the cluster" : f.toString());
    // One line each: a drifted ConfigMap value may hold newlines or control characters.
    text = text.replaceAll("\\p{Cntrl}", " ");
    return text.length() <= MAX_LINE ? text : text.substring(0, MAX_LINE - 1) + "…";
  }

  /** Whether any object drifted. */
  public boolean drifting() {
    return objects > 0;
  }

  public SiteDrift withDriftingSince(Instant since) {
    return new SiteDrift(site, app, revision, objects, fields, checkedAt, since, healedAt);
  }

  public SiteDrift withHealedAt(Instant at) {
    return new SiteDrift(site, app, revision, objects, fields, checkedAt, driftingSince, at);
  }
}
