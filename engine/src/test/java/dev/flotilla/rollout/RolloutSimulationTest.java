package dev.flotilla.rollout;

import static dev.flotilla.rollout.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Gates;
import dev.flotilla.fleet.Quantity;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.WaveSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Drives a whole rollout to the end with a fake clock, sites answering the actions, and checks the invariants on the log. */
class RolloutSimulationTest {

  record Sent(String site, int wave, Instant at) {}

  @Test
  void threeWaveRolloutOfFiftySitesCompletesAndKeepsTheInvariants() {
    List<Site> sites = new ArrayList<>();
    IntStream.rangeClosed(1, 3).forEach(i -> sites.add(push("canary-" + i)));
    IntStream.rangeClosed(1, 12).forEach(i -> sites.add(push("dc-%02d".formatted(i))));
    IntStream.rangeClosed(1, 35).forEach(i -> sites.add(pull("edge-%02d".formatted(i))));
    Set<String> offline = Set.of("edge-07", "edge-21"); // never reconnect during the run
    RolloutPolicy policy = policy(OnFailure.HALT,
        new WaveSpec("canary", names("canary-1", "canary-2", "canary-3"), Quantity.count(1),
            new Gates(true, Duration.ofMinutes(10), false, List.of(), null, null), null, 100),
        new WaveSpec("dcs", tiers("dc"), Quantity.percentOf(25), new Gates(true, Duration.ZERO, true, List.of(), null, null), Quantity.count(1), 100),
        new WaveSpec("edge", tiers("edge"), Quantity.count(5), Gates.NONE, Quantity.percentOf(5), 90));
    Run run = new Run(running(policy, sites));
    Map<String, Integer> waveOf = new HashMap<>();
    sites.forEach(s -> waveOf.put(s.name(), run.rollout.plan().waveIndex(s.name())));
    List<Sent> log = new ArrayList<>();
    Map<Integer, Instant> passedAt = new HashMap<>();
    Set<String> applied = new java.util.TreeSet<>(); // sites that applied the release report every tick
    int maxInFlightDcs = 0;

    for (int tick = 0; tick < 500 && run.rollout.state() == RolloutState.RUNNING; tick++) {
      run.after(Duration.ofMinutes(1));
      boolean dc05Recovered = tick > 60; // dc-05 comes up unhealthy and recovers after an hour
      applied.forEach(site -> run.done(site, !site.equals("dc-05") || dc05Recovered));
      Step step = run.step();
      Step again = run.machine.step(run.rollout, run.observations, run.signals, run.time, run.now);
      assertThat(again.events()).as("idempotent at tick %d", tick).isEmpty();
      assertThat(again.actions()).isEmpty();
      for (RolloutAction a : step.actions()) {
        RolloutAction.UpdateSite u = (RolloutAction.UpdateSite) a;
        assertThat(u.revision()).isEqualTo("r2");
        log.add(new Sent(u.site(), waveOf.get(u.site()), run.now));
        if (!offline.contains(u.site())) applied.add(u.site());
      }
      for (int w = 0; w < 3; w++) {
        if (run.rollout.wave(w).passedAt() != null) passedAt.putIfAbsent(w, run.rollout.wave(w).passedAt());
      }
      maxInFlightDcs = Math.max(maxInFlightDcs, WaveCounts.sitesWith(run.rollout, 1, SiteStatus.UPDATING).size());
      if (step.waitingOn() instanceof Wait.OnGate g && g.gate() == Gate.APPROVAL) {
        run.rollout = RolloutMachineTest.accepted(RolloutCommands.approve(run.rollout, g.wave(), "alice", "", run.now));
      }
    }

    assertThat(run.rollout.state()).isEqualTo(RolloutState.COMPLETED);
    // Exactly once: every site was sent the release once.
    assertThat(log).extracting(Sent::site).doesNotHaveDuplicates().hasSize(50);
    // Canary first: no site of wave k+1 before every gate of wave k passed.
    for (Sent s : log) {
      if (s.wave() > 0) assertThat(s.at()).isAfterOrEqualTo(passedAt.get(s.wave() - 1));
    }
    // Soak: the canary wave passed no earlier than ten minutes after its sites were healthy.
    assertThat(Duration.between(run.rollout.wave(0).updatedAt(), passedAt.get(0))).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
    // Health gate: dcs waited for dc-05 to turn healthy.
    assertThat(passedAt.get(1)).isAfter(Fixtures.T0.plus(Duration.ofMinutes(60)));
    // Batches: 25% of 12 dc sites is 3.
    assertThat(maxInFlightDcs).isLessThanOrEqualTo(3);
    // Offline is normal: the two silent edge sites stayed pending without blocking.
    offline.forEach(s -> assertThat(run.rollout.site(s).status()).isEqualTo(SiteStatus.UPDATING));
    assertThat(run.rollout.sites().values()).filteredOn(p -> p.status() == SiteStatus.DONE).hasSize(48);
    assertThat(run.eventKinds()).contains("wave-started", "batch-sent", "site-done", "wave-updated", "wave-promoted", "completed");
  }
}
