package dev.flotilla.render;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A renderer that answers from a function of the overlay's path and records what it was asked. */
final class FakeRenderer implements Renderer {
  private final Function<String, String> output;
  final List<String> built = new CopyOnWriteArrayList<>();

  FakeRenderer(Function<String, String> output) {
    this.output = output;
  }

  @Override
  public String build(Path overlayDir, String app, String overlayRelPath) throws RenderException {
    built.add(overlayRelPath);
    String yaml = output.apply(overlayRelPath);
    if (yaml == null) throw new RenderException("fake kustomize failed", app, overlayRelPath, null, "Error: boom");
    return yaml;
  }

  @Override
  public String fingerprint() {
    return "fake v1";
  }
}
