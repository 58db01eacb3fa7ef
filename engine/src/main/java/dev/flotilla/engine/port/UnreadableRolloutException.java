package dev.flotilla.engine.port;

/**
 * A stored rollout whose documents or rows this engine cannot read (damaged bytes, a format it does
 * not know). The engine quarantines that rollout and goes on with the others.
 */
public final class UnreadableRolloutException extends StoreException {
  private final String rolloutId;

  public UnreadableRolloutException(String rolloutId, String problem) {
    super("read rollout " + rolloutId, problem);
    this.rolloutId = rolloutId;
  }

  public String rolloutId() {
    return rolloutId;
  }
}
