package dev.flotilla.render;

import java.util.Objects;

/** What an external process left behind: its exit code and everything it wrote, as UTF-8 text. */
public record ProcessResult(int exitCode, String stdout, String stderr) {
  public ProcessResult {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  public boolean succeeded() {
    return exitCode == 0;
  }
}
