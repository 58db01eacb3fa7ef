package dev.flotilla.render;

import dev.flotilla.fleet.Site;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the last render found per overlay and site, so that the render of a new commit stamps again
 * only what may have changed. A site whose overlay output (by the content hash of its inputs) and
 * declaration ({@link Site} equality: tier, labels, values, ...) are both unchanged keeps its
 * digest and is not stamped at all: a stamp depends on the commit only through the revision
 * annotation, which digests leave out. Of a changed overlay output, an unchanged site keeps the
 * digests of the objects whose text did not change. Only digests are kept (16 bytes an object),
 * never YAML. Thread-safe; a lost race only costs a stamp.
 */
final class StampMemo {
  /** A site as declared when stamped, its digest, and its objects' digests in the overlay output's order. */
  record Stamped(Site site, RenderDigest digest, List<RenderDigest> objects) {}

  /** The stamps made from one overlay output, and that output's object texts and ids (null when ids repeat). */
  private record OverlayStamps(String inputHash, Map<String, String> objectTexts, List<String> objectIds,
      Map<String, Stamped> sites) {}

  private final Map<String, OverlayStamps> byOverlay = new ConcurrentHashMap<>();

  /** The site's last stamp of the same overlay output, or null. */
  Stamped prior(String overlay, String inputHash, Site site) {
    OverlayStamps stamps = byOverlay.get(overlay);
    if (stamps == null || !stamps.inputHash().equals(inputHash)) return null;
    Stamped stamped = stamps.sites().get(site.name());
    return stamped != null && stamped.site().equals(site) ? stamped : null;
  }

  /**
   * For a site whose overlay output changed since its last stamp but whose declaration did not: the
   * digests of the objects whose text is unchanged, by object id. Empty when there is nothing to
   * take over.
   */
  Map<String, RenderDigest> unchangedObjects(String overlay, RenderedOverlay now, Site site) {
    OverlayStamps stamps = byOverlay.get(overlay);
    if (stamps == null || stamps.objectTexts() == null) return Map.of();
    Stamped stamped = stamps.sites().get(site.name());
    if (stamped == null || !stamped.site().equals(site)) return Map.of();
    Map<String, RenderDigest> out = new HashMap<>();
    for (RenderedOverlay.ObjectTemplate object : now.objects()) {
      int at = stamps.objectIds().indexOf(object.id());
      if (at < 0 || !object.text().equals(stamps.objectTexts().get(object.id()))) continue;
      out.put(object.id(), stamped.objects().get(at));
    }
    return out;
  }

  /**
   * Remembers what was stamped from one overlay output: per site, its digest and its objects'
   * digests. Earlier stamps of the same output for other sites are kept.
   */
  void remember(String overlay, String inputHash, RenderedOverlay output,
      List<Stamped> stamps) {
    OverlayStamps before = byOverlay.get(overlay);
    Map<String, Stamped> kept = before != null && before.inputHash().equals(inputHash)
        ? new HashMap<>(before.sites()) : new HashMap<>();
    for (Stamped s : stamps) kept.put(s.site().name(), s);
    Map<String, String> texts = objectTexts(output);
    List<String> ids = texts == null ? null : output.objects().stream().map(RenderedOverlay.ObjectTemplate::id).toList();
    byOverlay.put(overlay, new OverlayStamps(inputHash, texts, ids, Map.copyOf(kept)));
  }

  private static Map<String, String> objectTexts(RenderedOverlay output) {
    Map<String, String> texts = new HashMap<>();
    for (RenderedOverlay.ObjectTemplate object : output.objects()) {
      if (texts.put(object.id(), object.text()) != null) return null; // ids repeat: no per-object reuse
    }
    return Map.copyOf(texts);
  }
}
