package dev.flotilla.render;

import java.util.List;
import java.util.Objects;

/**
 * Everything one app should run at one site at one revision: the stamped manifests, in kustomize's
 * order. A state from {@link FleetRenderer} holds no YAML: it keeps its overlay's parsed output and
 * the site, and stamps the manifests each time they are asked for (the render checked once that
 * they stamp). At 100,000 sites the YAML of a whole render is hundreds of megabytes, while a
 * delivery needs one site's at a time. Ask for {@link #manifests()} once per use.
 */
public final class DesiredState {
  /** Stamps a site's manifests at a revision again; the render made sure it succeeds. */
  @FunctionalInterface
  interface Stamp {
    List<Manifest> manifests(String revision);
  }

  private final String site;
  private final String app;
  private final String revision;
  private final List<Manifest> manifests;
  private final Stamp stamp;
  private final RenderDigest digest;

  /** A state holding its manifests. */
  public DesiredState(String site, String app, String revision, List<Manifest> manifests) {
    this(site, app, revision, List.copyOf(manifests), null, null);
  }

  private DesiredState(String site, String app, String revision, List<Manifest> manifests, Stamp stamp,
      RenderDigest digest) {
    this.site = Objects.requireNonNull(site, "site");
    this.app = Objects.requireNonNull(app, "app");
    this.revision = Objects.requireNonNull(revision, "revision");
    this.manifests = manifests;
    this.stamp = stamp;
    this.digest = digest;
  }

  /** A state that stamps its manifests when asked, with its digest known from the render. */
  static DesiredState stamped(String site, String app, String revision, Stamp stamp, RenderDigest digest) {
    return new DesiredState(site, app, revision, null, Objects.requireNonNull(stamp, "stamp"),
        Objects.requireNonNull(digest, "digest"));
  }

  public String site() {
    return site;
  }

  public String app() {
    return app;
  }

  public String revision() {
    return revision;
  }

  /** The manifests, made now for a state from a render (each call stamps them again). */
  public List<Manifest> manifests() {
    return manifests != null ? manifests : List.copyOf(stamp.manifests(revision));
  }

  /** The render's digest of these manifests, the revision left out. */
  public RenderDigest digest() {
    return digest != null ? digest : RenderDigest.of(this);
  }

  /** The manifests as one multi-document YAML stream, {@code ---} between documents. */
  public String yaml() {
    return yaml(manifests());
  }

  /** {@code manifests} as one multi-document YAML stream, {@code ---} between documents. */
  public static String yaml(List<Manifest> manifests) {
    StringBuilder b = new StringBuilder();
    for (Manifest m : manifests) {
      if (b.length() > 0) b.append("---\n");
      b.append(m.yaml());
      if (!m.yaml().endsWith("\n")) b.append('\n');
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DesiredState d && site.equals(d.site) && app.equals(d.app) && revision.equals(d.revision)
        && manifests().equals(d.manifests());
  }

  @Override
  public int hashCode() {
    return Objects.hash(site, app, revision, manifests());
  }

  @Override
  public String toString() {
    return "DesiredState[site=" + site + ", app=" + app + ", revision=" + revision + "]";
  }
}
