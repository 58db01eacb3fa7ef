package dev.flotilla.api;

/** The command does not fit the current state (promote a halted rollout, approve a finished wave): 409. */
public final class ConflictException extends ApiException {
  public ConflictException(String reason) {
    super(reason);
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String error() {
    return "conflict";
  }
}
