package dev.flotilla.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flotilla.fleet.Site;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stamps of the last render, per overlay, so that the render of a new commit stamps again only
 * the sites whose overlay output or declaration changed. A site whose overlay output (by the
 * content hash of its inputs) and declaration ({@link Site} equality: tier, labels, values, ...)
 * are both unchanged gets its earlier desired state with the new revision written into its
 * revision annotation: the only part of a stamp that depends on the commit. Thread-safe; a lost
 * race only costs a stamp.
 */
final class StampMemo {
  private record Stamped(Site site, DesiredState state) {}

  /** The stamps made from one overlay output, and that output's object texts by id (null when ids repeat). */
  private record OverlayStamps(String inputHash, Map<String, String> objectTexts, Map<String, Stamped> sites) {}

  private final Map<String, OverlayStamps> byOverlay = new ConcurrentHashMap<>();

  /** The state stamped before for {@code site} from the same overlay output, or null. */
  DesiredState prior(String overlay, String inputHash, Site site) {
    OverlayStamps stamps = byOverlay.get(overlay);
    if (stamps == null || !stamps.inputHash().equals(inputHash)) return null;
    Stamped stamped = stamps.sites().get(site.name());
    return stamped != null && stamped.site().equals(site) ? stamped.state() : null;
  }

  /**
   * For a site whose overlay output changed since its last stamp but whose declaration did not: its
   * earlier manifests of the objects whose text is unchanged, by object id, with the new revision.
   * Empty when there is nothing to take over.
   */
  Map<String, Manifest> unchangedObjects(String overlay, RenderedOverlay now, Site site, String revision)
      throws RenderException {
    OverlayStamps stamps = byOverlay.get(overlay);
    if (stamps == null || stamps.objectTexts() == null) return Map.of();
    Stamped stamped = stamps.sites().get(site.name());
    if (stamped == null || !stamped.site().equals(site)) return Map.of();
    Map<String, Manifest> before = new HashMap<>();
    for (Manifest m : stamped.state().manifests()) before.put(m.id(), m);
    Map<String, Manifest> out = new HashMap<>();
    String from = annotation(stamped.state().revision());
    String to = annotation(revision);
    for (RenderedOverlay.ObjectTemplate object : now.objects()) {
      Manifest m = before.get(object.id());
      if (m == null || !object.text().equals(stamps.objectTexts().get(object.id()))) continue;
      Manifest moved = withRevision(m, from, to);
      if (moved != null) out.put(object.id(), moved);
    }
    return out;
  }

  /** Remembers what was stamped from one overlay output, keeping earlier stamps of the same output for other sites. */
  void remember(String overlay, String inputHash, RenderedOverlay output, List<Site> sites, List<DesiredState> states) {
    OverlayStamps before = byOverlay.get(overlay);
    Map<String, Stamped> kept = before != null && before.inputHash().equals(inputHash)
        ? new HashMap<>(before.sites()) : new HashMap<>();
    for (int i = 0; i < sites.size(); i++) kept.put(sites.get(i).name(), new Stamped(sites.get(i), states.get(i)));
    byOverlay.put(overlay, new OverlayStamps(inputHash, objectTexts(output), Map.copyOf(kept)));
  }

  private static Map<String, String> objectTexts(RenderedOverlay output) {
    Map<String, String> texts = new HashMap<>();
    for (RenderedOverlay.ObjectTemplate object : output.objects()) {
      if (texts.put(object.id(), object.text()) != null) return null; // ids repeat: no per-object reuse
    }
    return Map.copyOf(texts);
  }

  /**
   * {@code state} stamped with {@code revision} instead of its own, or null when its YAML does not
   * hold its revision annotation exactly once per object (then the caller stamps it again).
   */
  static DesiredState withRevision(DesiredState state, String revision) throws RenderException {
    if (state.revision().equals(revision)) return state;
    String from = annotation(state.revision());
    String to = annotation(revision);
    List<Manifest> manifests = new ArrayList<>(state.manifests().size());
    for (Manifest m : state.manifests()) {
      Manifest moved = withRevision(m, from, to);
      if (moved == null) return null;
      manifests.add(moved);
    }
    return new DesiredState(state.site(), state.app(), revision, manifests);
  }

  /** One manifest with the annotation text {@code from} replaced by {@code to}, or null unless it holds it exactly once. */
  private static Manifest withRevision(Manifest m, String from, String to) {
    if (from.equals(to)) return m;
    int at = m.yaml().indexOf(from);
    if (at < 0 || m.yaml().indexOf(from, at + 1) >= 0) return null;
    String yaml = m.yaml().substring(0, at) + to + m.yaml().substring(at + from.length());
    return new Manifest(m.kind(), m.namespace(), m.name(), yaml);
  }

  /** The annotation's text as the stamp writes it, with the indentation of metadata.annotations. */
  private static String annotation(String revision) throws RenderException {
    try {
      return "    " + ManifestYaml.WRITER.writeValueAsString(Map.of(SiteStamper.REVISION_ANNOTATION, revision));
    } catch (JsonProcessingException e) {
      throw new RenderException("cannot write the revision annotation " + revision + ": " + e.getMessage(), null, null,
          null, null);
    }
  }
}
