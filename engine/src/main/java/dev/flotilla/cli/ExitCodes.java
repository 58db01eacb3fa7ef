package dev.flotilla.cli;

/** The process exit codes of the CLI. */
final class ExitCodes {
  static final int OK = 0;
  /** Something failed: Git, kustomize, a file. The message on stderr says what and where. */
  static final int FAILED = 1;
  /** The input is invalid (fleet repo problems, bad arguments). */
  static final int INVALID = 2;

  private ExitCodes() {}
}
