package dev.flotilla.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One overlay's kustomize output, parsed once into object trees so that stamping thousands of
 * sites never parses it again. Each object keeps its own YAML text too: substitution works on
 * text, and only objects that contain {@code ${} need it. The trees are shared by every site's
 * stamp and must never be modified.
 */
record RenderedOverlay(String app, String overlay, List<RenderedOverlay.ObjectTemplate> objects) {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$\\n?");

  /** One object of the output: its tree, its text, its id, and whether any site needs to substitute it. */
  record ObjectTemplate(ObjectNode tree, String text, String id, boolean hasVariables) {}

  RenderedOverlay {
    objects = List.copyOf(objects);
  }

  static RenderedOverlay parse(String app, String overlay, String kustomizeOutput) throws RenderException {
    List<ObjectTemplate> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(kustomizeOutput)) {
      if (document.isBlank()) continue;
      ObjectNode tree;
      try {
        tree = readObject(document);
      } catch (JsonProcessingException e) {
        throw RenderException.badOutput("kustomize output is not a YAML object", app, overlay, null, null, e);
      }
      if (tree != null) objects.add(new ObjectTemplate(tree, document, idOf(tree), document.contains("${")));
    }
    return new RenderedOverlay(app, overlay, objects);
  }

  /** The document as an object tree; null for a document of only comments. */
  static ObjectNode readObject(String document) throws JsonProcessingException {
    JsonNode node = ManifestYaml.MAPPER.readTree(document);
    if (node == null || node.isMissingNode() || node.isNull()) return null;
    if (!node.isObject()) {
      throw new JsonProcessingException("expected a mapping, got " + node.getNodeType()) {};
    }
    return (ObjectNode) node;
  }

  static String idOf(JsonNode tree) {
    JsonNode metadata = tree.path("metadata");
    return Manifest.id(
        tree.path("kind").asText(""), metadata.path("namespace").asText(""), metadata.path("name").asText(""));
  }
}
