package dev.flotilla.plan;

import java.util.List;

/**
 * Sites of one app whose change is the same ({@link ChangeGroups}): the same objects added, changed
 * and removed, the same lines added and removed. {@code change} is written once for all of them, as
 * the first site's; {@code perSiteName}: it shows each site's own name as {@link #SITE};
 * {@code contextVaries}: the unchanged lines around the change differ between the sites, and
 * {@code change} shows the first site's.
 */
public record ChangeGroup(List<String> sites, SiteChange change, boolean perSiteName, boolean contextVaries) {
  /** What stands for each site's own name in a grouped change. */
  public static final String SITE = "<site>";

  public ChangeGroup {
    sites = List.copyOf(sites);
    if (sites.isEmpty()) throw new IllegalArgumentException("a change group holds at least one site");
  }
}
