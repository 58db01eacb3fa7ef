package dev.flotilla.fleet;

import java.util.Comparator;

/**
 * One thing wrong with a fleet repo, located precisely enough for a person to fix it: the file
 * (relative to the repo root), the 1-based line (0 when the problem belongs to the whole file),
 * the field path inside the document and what was expected.
 */
public record Problem(String file, int line, String field, String message) {

  public static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::file).thenComparingInt(Problem::line).thenComparing(Problem::field);

  public Problem {
    if (file == null || file.isBlank()) throw new IllegalArgumentException("file is required");
    field = field == null ? "" : field;
  }

  /** {@code file:line: field: message}, or {@code file: field: message} for the whole file or folder (no {@code :0}). */
  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
