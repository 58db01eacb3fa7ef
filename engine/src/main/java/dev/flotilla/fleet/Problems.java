package dev.flotilla.fleet;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems found while loading a fleet repo, so all of them are reported at once. */
final class Problems {
  private final List<Problem> found = new ArrayList<>();

  void add(String file, int line, String field, String message) {
    found.add(new Problem(file, line, field, message));
  }

  int size() {
    return found.size();
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  List<Problem> sorted() {
    return found.stream().sorted(Problem.ORDER).toList();
  }
}
