package dev.flotilla.fleet;

import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The Kubernetes-style envelope of a fleet repo document: apiVersion, kind and metadata, checked,
 * and the spec left for the reader of that kind.
 */
record Header(String file, int line, String kind, String name, int nameLine, Map<String, String> labels, Fields spec) {
  static final String API_VERSION = "flotilla.dev/v1";

  /** Reads the envelope; null when the document is not of {@code expectedKind} or has no usable name. */
  static Header read(String file, Node doc, String expectedKind, Problems problems) {
    Fields root = new Fields(file, "", doc, problems);
    if (!root.isPresent()) return null;
    String apiVersion = root.string("apiVersion", true);
    if (apiVersion != null && !apiVersion.equals(API_VERSION)) {
      root.problem("apiVersion", "expected " + API_VERSION + ", got '" + apiVersion + "'");
    }
    String kind = root.string("kind", true);
    Fields metadata = root.object("metadata", true);
    String name = metadata.string("name", true);
    Map<String, String> labels = metadata.stringMap("labels");
    metadata.stringMap("annotations");
    metadata.rejectUnknown("name", "labels", "annotations");
    Fields spec = root.object("spec", true);
    root.rejectUnknown("apiVersion", "kind", "metadata", "spec");
    if (kind != null && !kind.equals(expectedKind)) {
      root.problem("kind", "expected kind " + expectedKind + " in this place, got '" + Names.shorten(kind) + "'");
      return null;
    }
    if (name == null) return null;
    String nameProblem = Names.checkDns1123Label(name);
    if (nameProblem != null) {
      metadata.problem("name", nameProblem);
      return null;
    }
    labels.forEach((k, v) -> {
      String p = Names.checkLabelKey(k);
      if (p == null) p = Names.checkLabelValue(v);
      if (p != null) problems.add(file, metadata.lineOf("labels"), "metadata.labels." + k, p);
    });
    return new Header(file, root.line(), kind, name, metadata.lineOf("name"), labels, spec);
  }

  String where() {
    return file + ":" + line;
  }
}
