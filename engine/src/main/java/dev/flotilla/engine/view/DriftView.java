package dev.flotilla.engine.view;

import dev.flotilla.drift.SiteDrift;
import java.time.Instant;
import java.util.List;

/**
 * What the last drift check of an app at a push site found, as the API shows it: the revision
 * compared, how many objects drifted (0: in sync), when it was checked, since when it drifts, when
 * self-heal last re-applied the release, and up to 20 drifted fields
 * ({@code Deployment/web/web: spec.replicas: want 2, live 7}).
 */
public record DriftView(String revision, int objects, Instant checkedAt, Instant since, Instant healedAt, List<String> fields) {
  public static DriftView of(SiteDrift d) {
    return new DriftView(d.revision(), d.objects(), d.checkedAt(), d.driftingSince(), d.healedAt(), d.fields());
  }
}
