package dev.flotilla.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The demo's accelerated time: it stands still until the demo loop moves it on, so that a round of
 * the loop (engine pass, sites act) covers minutes of simulated time in milliseconds of real time.
 * The engine, the simulated sites and the report all read this one clock.
 */
public final class DemoClock extends Clock {
  private volatile Instant now;

  public DemoClock(Instant start) {
    this.now = start;
  }

  /** Moves simulated time on; only the demo loop calls this. */
  void advance(Duration by) {
    now = now.plus(by);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the demo clock is always UTC");
  }
}
