package dev.flotilla.delivery.push;

import java.time.Duration;

/** Waiting between two polls, injected so tests do not sleep. */
@FunctionalInterface
public interface Pause {
  Pause SLEEP = d -> Thread.sleep(d.toMillis());

  void pause(Duration duration) throws InterruptedException;
}
