package dev.flotilla.plan;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rendered desired state of a whole fleet at one revision, as the planner needs it: app → site
 * → object id ({@code Kind/namespace/name}) → YAML. The revision stamp is taken out of the YAML so
 * that objects compare equal across revisions when nothing but the revision changed.
 */
public final class DesiredObjects {
  private final String revision;
  private final SortedMap<String, SortedMap<String, SortedMap<String, String>>> byApp = new TreeMap<>();

  public DesiredObjects(String revision) {
    this.revision = revision;
  }

  public String revision() {
    return revision;
  }

  /** Adds one object of a site; the revision annotation's value is replaced by a placeholder. */
  public DesiredObjects put(String app, String site, String objectId, String yaml) {
    byApp.computeIfAbsent(app, a -> new TreeMap<>())
        .computeIfAbsent(site, s -> new TreeMap<>())
        .put(objectId, yaml.replace("flotilla.dev/revision: " + revision, "flotilla.dev/revision: <revision>"));
    return this;
  }

  /** Records that a site has the app but renders no object (so it is not read as "site absent"). */
  public DesiredObjects putSite(String app, String site) {
    byApp.computeIfAbsent(app, a -> new TreeMap<>()).computeIfAbsent(site, s -> new TreeMap<>());
    return this;
  }

  public java.util.Set<String> apps() {
    return byApp.keySet();
  }

  public Map<String, SortedMap<String, String>> sites(String app) {
    return byApp.getOrDefault(app, new TreeMap<>());
  }
}
