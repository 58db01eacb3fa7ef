package dev.flotilla.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryRouterTest {
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  SimulatedDelivery push;
  SimulatedDelivery pull;
  DeliveryRouter router;

  @BeforeEach
  void start() throws IOException {
    push = SimulatedDelivery.builder(clock).build();
    pull = SimulatedDelivery.builder(clock).build();
    router = new DeliveryRouter(push, pull);
  }

  @AfterEach
  void close() throws IOException {
    push.close();
    pull.close();
  }

  @Test
  void eachReleaseGoesToTheAdapterOfItsSitesDeliveryMode() throws DeliveryException {
    router.deliver(Releases.release(Releases.pushSite("dc-1"), "web", "r1"));
    router.deliver(Releases.release(Releases.pullSite("store-1"), "web", "r1"));
    push.tick();
    pull.tick();

    assertThat(push.history()).extracting(AppliedRelease::site).containsExactly("dc-1");
    assertThat(pull.history()).extracting(AppliedRelease::site).containsExactly("store-1");
  }

  @Test
  void reportsOfBothAdaptersAreMerged() throws DeliveryException {
    router.deliver(Releases.release(Releases.pushSite("dc-1"), "web", "r1"));
    router.deliver(Releases.release(Releases.pullSite("store-1"), "web", "r1"));
    push.tick();
    pull.tick();

    assertThat(router.statuses("web")).extracting(SiteReport::site).containsExactlyInAnyOrder("dc-1", "store-1");
    assertThat(router.status("store-1", "web")).hasValueSatisfying(r -> assertThat(r.revision()).isEqualTo("r1"));
    assertThat(router.status("dc-1", "web")).hasValueSatisfying(r -> assertThat(r.revision()).isEqualTo("r1"));
  }
}
