package dev.flotilla.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import dev.flotilla.fleet.ReadLimits;
import java.util.regex.Pattern;

/**
 * One overlay's kustomize output, parsed once into object trees so that stamping thousands of
 * sites never parses it again. Each object keeps its own YAML text too: substitution works on
 * text, and only objects that contain {@code ${} need it. The trees are shared by every site's
 * stamp and must never be modified.
 */
record RenderedOverlay(String app, String overlay, List<RenderedOverlay.ObjectTemplate> objects) {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$\\n?");

  /**
   * One object of the output: its tree, its text, its id, whether any site needs to substitute it,
   * and the YAML of its top-level fields before and after {@code metadata}. A stamp changes only
   * metadata, and top-level block mapping entries serialize independently, so a site's YAML of an
   * object without variables is {@code head + its metadata + tail}: only metadata is written per site.
   */
  record ObjectTemplate(ObjectNode tree, String text, String id, boolean hasVariables, String head, String tail) {}

  RenderedOverlay {
    objects = List.copyOf(objects);
  }

  static RenderedOverlay parse(String app, String overlay, String kustomizeOutput) throws RenderException {
    return parse(app, overlay, kustomizeOutput, ReadLimits.DEFAULT);
  }

  /** Parses kustomize's output; an object holding a string longer than the scalar limit is refused. */
  static RenderedOverlay parse(String app, String overlay, String kustomizeOutput, ReadLimits limits)
      throws RenderException {
    List<ObjectTemplate> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(kustomizeOutput)) {
      if (document.isBlank()) continue;
      ObjectNode tree;
      try {
        tree = readObject(document);
      } catch (JsonProcessingException e) {
        throw RenderException.badOutput("kustomize output is not a YAML object", app, overlay, null, null, e);
      }
      if (tree != null) checkScalars(app, overlay, tree, tree, "", limits.maxScalarChars());
      if (tree != null) objects.add(template(app, overlay, tree, document));
    }
    return new RenderedOverlay(app, overlay, objects);
  }

  private static void checkScalars(String app, String overlay, ObjectNode object, JsonNode node, String field, int max)
      throws RenderException {
    if (node.isTextual() && node.textValue().length() > max) {
      throw new RenderException("object " + idOf(object) + ": the value of " + field + " has " + node.textValue().length()
          + " characters, more than the limit of " + max + " (" + ReadLimits.SCALAR_ENV + ")", app, overlay, null, null);
    }
    if (node.isContainerNode()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        checkScalars(app, overlay, object, e.getValue(), field.isEmpty() ? e.getKey() : field + "." + e.getKey(), max);
      }
      for (int i = 0; node.isArray() && i < node.size(); i++) {
        checkScalars(app, overlay, object, node.get(i), field + "[" + i + "]", max);
      }
    }
  }

  private static ObjectTemplate template(String app, String overlay, ObjectNode tree, String document)
      throws RenderException {
    List<String> head = new ArrayList<>();
    List<String> tail = new ArrayList<>();
    List<String> side = head;
    for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.equals("metadata")) {
        side = tail;
      } else {
        side.add(name);
      }
    }
    try {
      return new ObjectTemplate(tree, document, idOf(tree), document.contains("${") && !substitutionDisabled(tree),
          fieldsYaml(tree, head),
          fieldsYaml(tree, tail));
    } catch (JsonProcessingException e) {
      throw RenderException.badOutput("cannot write the object as YAML", app, overlay, null, idOf(tree), e);
    }
  }

  /** The object opts out of substitution with the annotation {@code flotilla.dev/substitute: disabled}, as in Flux. */
  static boolean substitutionDisabled(JsonNode tree) {
    return tree.path("metadata").path("annotations").path(RenderException.SUBSTITUTE_ANNOTATION).asText("").equals("disabled");
  }

  /** The YAML of some top-level fields of {@code tree}, in order; empty for none. */
  static String fieldsYaml(ObjectNode tree, List<String> names) throws JsonProcessingException {
    if (names.isEmpty()) return "";
    ObjectNode part = ManifestYaml.MAPPER.createObjectNode();
    for (String name : names) part.set(name, tree.get(name));
    return ManifestYaml.WRITER.writeValueAsString(part);
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
