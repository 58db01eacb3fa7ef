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
    spec.rejectUnknown("targets", "policy");
    if (!h.name().equals(dirName)) {
      problems.add(h.file(), h.nameLine(), "metadata.name",
          "must equal the app's folder name '" + dirName + "', got '" + h.name() + "'");
      return null;
    }
    if (policy == null || !targetFields.isPresent()) return null;
    return new Declared(new App(h.name(), targets, policy), h, targetsLine, policyLine);
  }
}
