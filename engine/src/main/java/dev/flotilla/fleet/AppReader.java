package dev.flotilla.fleet;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads one {@code apps/<app>/app.yaml}. */
final class AppReader {
  private AppReader() {}

  /** An app and the lines its cross-checked fields were declared on. */
  record Declared(App app, Header header, int targetsLine, int policyLine) {}

  static Declared read(Header h, String dirName, Fleet fleet, Problems problems) {
    Fields spec = h.spec();
    List<String> tiers = fleet.tiers().stream().map(Tier::name).toList();
    int targetsLine = spec.lineOf("targets");
    Fields targetFields = spec.object("targets", true);
    SiteSelector targets = SelectorReader.read(targetFields, tiers, false);
    int policyLine = spec.lineOf("policy");
    String policy = spec.string("policy", true);
    ApplyOptions apply = new ApplyOptions(spec.bool("forceConflicts"), spec.bool("allowEmpty"), ignoreFields(spec),
        spec.bool("selfHeal"));
    spec.rejectUnknown("targets", "policy", "forceConflicts", "allowEmpty", "ignoreFields", "selfHeal");
    if (!h.name().equals(dirName)) {
      problems.add(h.file(), h.nameLine(), "metadata.name",
          "must equal the app's folder name '" + dirName + "', got '" + h.name() + "'");
      return null;
    }
    if (policy == null || !targetFields.isPresent()) return null;
    return new Declared(new App(h.name(), targets, policy, apply), h, targetsLine, policyLine);
  }

  /** {@code ignoreFields: [{kind: Deployment, path: spec.replicas}, {kind: ConfigMap, name: tuning, path: data}]} */
  private static List<IgnoredField> ignoreFields(Fields spec) {
    List<IgnoredField> out = new java.util.ArrayList<>();
    for (Fields f : spec.objects("ignoreFields", false)) {
      String kind = f.string("kind", true);
      String name = f.string("name", false);
      String path = f.string("path", true);
      f.rejectUnknown("kind", "name", "path");
      if (path != null && IgnoredField.problemWith(path) != null) {
        f.problem("path", IgnoredField.problemWith(path));
        continue;
      }
      if (kind != null && !kind.matches("[A-Z][A-Za-z0-9]*")) {
        f.problem("kind", "expected a Kubernetes kind such as Deployment, got '" + Names.shorten(kind) + "'");
        continue;
      }
      if (kind != null && path != null) out.add(new IgnoredField(kind, name, path));
    }
    return out;
  }
}
