package dev.flotilla.plan;

import java.util.List;

/** What a release changes at one site: the ids of objects added, changed and removed, and diffs. */
public record SiteChange(String site, List<String> added, List<String> changed, List<String> removed, List<ObjectDiff> diffs) {
  public SiteChange {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
    diffs = List.copyOf(diffs);
  }

  public boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
  }

  /** The same change, said of another site. */
  public SiteChange withSite(String other) {
    return new SiteChange(other, added, changed, removed, diffs);
  }
}
