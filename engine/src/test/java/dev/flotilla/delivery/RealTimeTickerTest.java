package dev.flotilla.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one test on real time: the demo's wrapper must tick by itself. It waits for an event, not a fixed time. */
class RealTimeTickerTest {
  @Test
  void tickerAppliesDeliveredReleasesWithoutAnyoneTicking() throws Exception {
    try (SimulatedDelivery sim = SimulatedDelivery.builder(Clock.systemUTC())
            .applyDelay(Delay.fixed(Duration.ofMillis(5)))
            .build();
        RealTimeTicker ticker = RealTimeTicker.start(sim, Duration.ofMillis(2))) {
      sim.deliver(Releases.release(Releases.pushSite("store-0001"), "pos", "r1"));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (sim.status("store-0001", "pos").isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }

      assertThat(sim.status("store-0001", "pos")).map(SiteReport::revision).contains("r1");
    }
  }
}
