package dev.flotilla.render;

import java.nio.file.Path;

/** Builds one overlay of an app into Kubernetes manifests: the render port. */
public interface Renderer {

  /**
   * Renders the kustomization in {@code overlayDir}; returns the multi-document YAML stream.
   * {@code app} and {@code overlayRelPath} (such as {@code apps/pos/overlays/edge}) name the
   * overlay in errors.
   */
  String build(Path overlayDir, String app, String overlayRelPath) throws RenderException;

  /**
   * Everything besides the input files that decides the output, such as the tool's version; part
   * of the render cache key, so a new kustomize never serves output of an old one.
   */
  String fingerprint() throws RenderException;
}
