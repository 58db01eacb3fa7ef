package dev.flotilla.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.fleet.Site;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an overlay's kustomize output into one site's desired state, with no I/O. Per object:
 * first {@link Substitution} of the site's values on the object's YAML text (the built-ins {@code
 * SITE_NAME} and {@code SITE_TIER} win over site values of the same name, so they always tell the
 * truth; {@link LosslessScalars} keeps a value such as {@code 0003} from turning into a number), then the labels {@code flotilla.dev/site}, {@code flotilla.dev/app}, {@code
 * flotilla.dev/tier} and the annotation {@code flotilla.dev/revision}, then serialization with
 * fixed settings and keys in a stable order, so the same inputs always give the same bytes.
 */
final class SiteStamper {
  static final String SITE_LABEL = "flotilla.dev/site";
  static final String APP_LABEL = "flotilla.dev/app";
  static final String TIER_LABEL = "flotilla.dev/tier";
  static final String REVISION_ANNOTATION = "flotilla.dev/revision";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SiteStamper() {}

  /** Parses {@code kustomizeOutput} and stamps it; to stamp many sites, parse once and use the overload. */
  static DesiredState stamp(String kustomizeOutput, Site site, String app, String revision) throws RenderException {
    return stamp(RenderedOverlay.parse(app, null, kustomizeOutput), site, revision);
  }

  /** Stamps every object of the overlay for the site. */
  static DesiredState stamp(RenderedOverlay overlay, Site site, String revision) throws RenderException {
    return new DesiredState(site.name(), overlay.app(), revision, manifests(overlay, site, revision));
  }

  static List<Manifest> manifests(RenderedOverlay overlay, Site site, String revision) throws RenderException {
    Map<String, String> values = null;
    List<Manifest> manifests = new ArrayList<>(overlay.objects().size());
    for (RenderedOverlay.ObjectTemplate object : overlay.objects()) {
      if (object.hasVariables() && values == null) values = variables(site);
      manifests.add(stampObject(overlay, object, site, revision, values));
    }
    return manifests;
  }

  /**
   * Stamps the site to check that it stamps and to digest it, keeping no YAML: the digests of
   * objects in {@code known} (by object id, stamped before for this site from the same object text)
   * are taken as they are.
   */
  static RenderDigest digest(RenderedOverlay overlay, Site site, String revision, Map<String, RenderDigest> known,
      List<RenderDigest> objects) throws RenderException {
    Map<String, String> values = null;
    for (RenderedOverlay.ObjectTemplate object : overlay.objects()) {
      RenderDigest done = known.get(object.id());
      if (done == null) {
        if (object.hasVariables() && values == null) values = variables(site);
        done = RenderDigest.ofObject(stampObject(overlay, object, site, revision, values).yaml(), revision);
      }
      objects.add(done);
    }
    return RenderDigest.ofObjects(objects);
  }

  /** One object stamped for the site; {@code values} is the site's variables, needed when the object has some. */
  private static Manifest stampObject(RenderedOverlay overlay, RenderedOverlay.ObjectTemplate object, Site site,
      String revision, Map<String, String> values) throws RenderException {
    ObjectNode tree = object.hasVariables() ? substitute(object, values, overlay, site) : object.tree();
    ObjectNode stamped = stamped(tree, site, overlay.app(), revision);
    return tree == object.tree()
        ? manifest(stamped, object.head() + yaml(metadataOf(stamped), overlay, site) + object.tail())
        : manifest(stamped, yaml(stamped, overlay, site));
  }

  static Map<String, String> variables(Site site) {
    Map<String, String> values = new HashMap<>(site.values());
    values.put("SITE_NAME", site.name());
    values.put("SITE_TIER", site.tier());
    return values;
  }

  private static ObjectNode substitute(
      RenderedOverlay.ObjectTemplate object, Map<String, String> values, RenderedOverlay overlay, Site site)
      throws RenderException {
    String text;
    try {
      text = Substitution.apply(object.text(), values);
    } catch (Substitution.Refused e) {
      Substitution.Issue issue = e.issue();
      if (issue.undefined()) {
        throw RenderException.undefinedVariable(site.name(), overlay.app(), overlay.overlay(), object.id(), issue.variable());
      }
      throw RenderException.unsupportedSubstitution(site.name(), overlay.app(), overlay.overlay(), object.id(),
          issue.variable(), issue.reference());
    }
    if (text.equals(object.text())) return object.tree();
    try {
      ObjectNode tree = RenderedOverlay.readObject(text);
      if (tree == null) return NODES.objectNode();
      LosslessScalars.repair(object.tree(), tree, values);
      return tree;
    } catch (JsonProcessingException e) {
      throw RenderException.badOutput("the object is no longer valid YAML after substitution", overlay.app(),
          overlay.overlay(), site.name(), object.id(), e);
    }
  }

  /**
   * A copy of the tree with Flotilla's labels and annotation. Only the root and metadata nodes are
   * copied: everything below is shared with the overlay's tree, which stays untouched.
   */
  static ObjectNode stamped(ObjectNode tree, Site site, String app, String revision) {
    ObjectNode metadata = tree.path("metadata") instanceof ObjectNode m ? m : NODES.objectNode();
    Map<String, JsonNode> fields = new TreeMap<>();
    metadata.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
    fields.put("labels", withEntries(metadata.path("labels"),
        Map.of(APP_LABEL, app, SITE_LABEL, site.name(), TIER_LABEL, site.tier())));
    fields.put("annotations", withEntries(metadata.path("annotations"), Map.of(REVISION_ANNOTATION, revision)));
    ObjectNode newMetadata = NODES.objectNode();
    fields.forEach(newMetadata::set);
    ObjectNode root = NODES.objectNode();
    root.setAll(tree);
    root.set("metadata", newMetadata);
    return root;
  }

  /** The string map {@code existing} plus {@code added}, keys sorted, added entries winning. */
  private static ObjectNode withEntries(JsonNode existing, Map<String, String> added) {
    Map<String, JsonNode> entries = new TreeMap<>();
    existing.properties().forEach(e -> entries.put(e.getKey(), e.getValue()));
    added.forEach((k, v) -> entries.put(k, NODES.textNode(v)));
    ObjectNode node = NODES.objectNode();
    entries.forEach(node::set);
    return node;
  }

  private static ObjectNode metadataOf(ObjectNode stamped) {
    ObjectNode part = NODES.objectNode();
    part.set("metadata", stamped.get("metadata"));
    return part;
  }

  private static String yaml(ObjectNode tree, RenderedOverlay overlay, Site site) throws RenderException {
    try {
      return ManifestYaml.WRITER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw RenderException.badOutput("cannot write the object as YAML", overlay.app(), overlay.overlay(),
          site.name(), RenderedOverlay.idOf(tree), e);
    }
  }

  private static Manifest manifest(ObjectNode tree, String yaml) {
    JsonNode metadata = tree.path("metadata");
    return new Manifest(tree.path("kind").asText(""), metadata.path("namespace").asText(""),
        metadata.path("name").asText(""), yaml);
  }
}
