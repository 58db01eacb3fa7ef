package dev.flotilla.delivery;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ticks a {@link SimulatedDelivery} on a real-time schedule, for the demo: one daemon thread,
 * stopped by {@link #close()}. Give the simulator the system clock, and a period well below its
 * delays (e.g. 10 ms for 50–200 ms applies).
 */
public final class RealTimeTicker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RealTimeTicker.class);

  private final ScheduledExecutorService scheduler;

  private RealTimeTicker(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  public static RealTimeTicker start(SimulatedDelivery simulator, Duration period) {
    if (period.isZero() || period.isNegative()) throw new IllegalArgumentException("a tick period must be positive: " + period);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "flotilla-simulator-ticker");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(() -> tickOnce(simulator), 0, period.toNanos(), TimeUnit.NANOSECONDS);
    return new RealTimeTicker(scheduler);
  }

  // A scheduled task that throws is silently never run again; log and keep ticking instead.
  private static void tickOnce(SimulatedDelivery simulator) {
    try {
      simulator.tick();
    } catch (RuntimeException e) {
      LOG.error("simulator tick failed: {}", e.getMessage(), e);
    }
  }

  /** Stops ticking and waits (up to 5 s) for a tick in progress to end. */
  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) scheduler.shutdownNow();
  }
}
