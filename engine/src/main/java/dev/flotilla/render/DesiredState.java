package dev.flotilla.render;

import java.util.List;
import java.util.Objects;

/** Everything one app should run at one site at one revision: the stamped manifests, in kustomize's order. */
public record DesiredState(String site, String app, String revision, List<Manifest> manifests) {
  public DesiredState {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    manifests = List.copyOf(manifests);
  }

  /** The manifests as one multi-document YAML stream, {@code ---} between documents. */
  public String yaml() {
    StringBuilder b = new StringBuilder();
    for (Manifest m : manifests) {
      if (b.length() > 0) b.append("---\n");
      b.append(m.yaml());
      if (!m.yaml().endsWith("\n")) b.append('\n');
    }
    return b.toString();
  }
}
