package dev.flotilla.render;

import dev.flotilla.fleet.Problem;
import java.util.List;

/**
 * What rendering a whole fleet found, every failure included: the desired states that rendered,
 * the problems of the fleet repo (grouped: one problem per cause, naming every site it hits, as
 * {@code file:line: field: message}) and the failures of the tools (no kustomize, a timeout, I/O).
 */
public record RenderCheck(int rendered, List<Problem> problems, List<RenderException> toolFailures) {
  public RenderCheck {
    problems = List.copyOf(problems);
    toolFailures = List.copyOf(toolFailures);
  }

  public boolean valid() {
    return problems.isEmpty() && toolFailures.isEmpty();
  }
}
