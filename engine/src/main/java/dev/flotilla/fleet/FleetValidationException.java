package dev.flotilla.fleet;

import java.util.List;
import java.util.stream.Collectors;

/** The fleet repo is invalid; carries every problem found, not only the first. */
public final class FleetValidationException extends Exception {
  private final List<Problem> problems;

  public FleetValidationException(List<Problem> problems) {
    super(problems.size() + " problem(s) in the fleet repo:\n"
        + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
