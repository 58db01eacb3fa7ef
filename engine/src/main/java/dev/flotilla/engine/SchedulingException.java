package dev.flotilla.engine;

/** The scheduler could not take or change a job (a scheduled promotion, the freeze calendar): names what and why. */
public final class SchedulingException extends Exception {
  public SchedulingException(String doing, Throwable cause) {
    super("could not " + doing + ": " + cause.getMessage(), cause);
  }
}
