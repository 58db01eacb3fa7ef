package dev.flotilla.rollout;

import static dev.flotilla.rollout.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Site;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The store writes only the sites a rollout says may have changed since the snapshot it read; a
 * site missing from that answer would never reach the database. Whatever sequence of steps made
 * two snapshots, the answer must cover every site that differs between them.
 */
class SiteChangesPropertyTest {
  static final List<Site> SITES = IntStream.range(0, 200).mapToObj(i -> push("s" + i)).toList();
  static final Rollout START = running(policy(OnFailure.HALT, wave("all", tiers())), SITES);

  @Property(tries = 300)
  void theSitesSaidToHaveChangedCoverEverySiteThatDiffers(@ForAll("batches") List<List<Integer>> batches,
      @ForAll("picks") List<Integer> picks) {
    List<Rollout> snapshots = new ArrayList<>();
    snapshots.add(START);
    Rollout r = START;
    int t = 0;
    for (List<Integer> batch : batches) {
      Map<String, SiteProgress> changes = new HashMap<>();
      for (int i : batch) changes.put("s" + i, r.site("s" + i).sent(T0.plusSeconds(++t)));
      r = r.withSites(changes);
      snapshots.add(r);
    }
    for (int k = 0; k + 1 < picks.size(); k += 2) {
      Rollout earlier = snapshots.get(Math.min(picks.get(k), picks.get(k + 1)) % snapshots.size());
      Rollout later = snapshots.get(Math.max(picks.get(k), picks.get(k + 1)) % snapshots.size());
      Optional<Set<String>> said = later.sitesChangedSince(earlier);
      if (said.isEmpty()) continue; // "compare every site" is always right
      List<String> differ = SITES.stream().map(Site::name).filter(s -> !later.site(s).equals(earlier.site(s))).toList();
      assertThat(said.get()).containsAll(differ);
    }
  }

  @Property(tries = 50)
  void aSnapshotComparedWithItselfOrItsParentIsAnsweredWithoutAFullComparison(@ForAll("batches") List<List<Integer>> batches) {
    Rollout r = START.withSites(Map.of("s0", SiteProgress.PENDING.sent(T0)));
    for (List<Integer> batch : batches) {
      Map<String, SiteProgress> changes = new HashMap<>();
      for (int i : batch) changes.put("s" + i, r.site("s" + i).sent(T0.plusSeconds(i + 1)));
      Rollout next = r.withSites(changes);
      assertThat(next.sitesChangedSince(r)).isPresent();
      assertThat(next.sitesChangedSince(next)).contains(Set.of());
      r = next;
    }
  }

  @Property(tries = 200)
  void countsCarriedFromStepToStepEqualCountsMadeAfresh(@ForAll("moves") List<List<Integer>> moves) {
    List<Site> mixed = IntStream.range(0, 60).mapToObj(i -> i % 3 == 0 ? pull("p" + i) : push("p" + i)).toList();
    Rollout r = running(policy(OnFailure.HALT, wave("first", names("p0", "p1", "p2", "p3", "p4", "p5")), wave("rest", tiers())), mixed);
    r.tally(); // counted once here, carried from now on
    int t = 0;
    for (List<Integer> batch : moves) {
      Map<String, SiteProgress> changes = new HashMap<>();
      for (int code : batch) {
        String site = "p" + (code % 60);
        SiteProgress p = r.site(site);
        changes.put(site, switch (code / 60) {
          case 0 -> p.sent(T0.plusSeconds(++t));
          case 1 -> p.done(T0.plusSeconds(++t), true);
          case 2 -> p.done(T0.plusSeconds(++t), false);
          default -> p.failed(T0.plusSeconds(++t), "broken");
        });
      }
      r = r.withSites(changes);
      WaveTally carried = r.tally();
      WaveTally fresh = WaveTally.count(r.plan(), r.sites());
      for (int w = 0; w < r.plan().waves().size(); w++) {
        for (SiteStatus status : SiteStatus.values()) {
          for (dev.flotilla.fleet.Delivery d : dev.flotilla.fleet.Delivery.values()) {
            assertThat(carried.count(w, status, d)).as("wave %d %s %s", w, status, d).isEqualTo(fresh.count(w, status, d));
          }
        }
        assertThat(carried.doneUnhealthy(w)).isEqualTo(fresh.doneUnhealthy(w));
        assertThat(carried.pullSites(w)).isEqualTo(fresh.pullSites(w));
      }
    }
  }

  @Provide
  Arbitrary<List<List<Integer>>> moves() {
    return Arbitraries.integers().between(0, 239).list().ofMinSize(1).ofMaxSize(15).list().ofMinSize(1).ofMaxSize(25);
  }

  @Provide
  Arbitrary<List<List<Integer>>> batches() {
    return Arbitraries.integers().between(0, 199).list().ofMinSize(1).ofMaxSize(40).list().ofMinSize(1).ofMaxSize(30);
  }

  @Provide
  Arbitrary<List<Integer>> picks() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(2).ofMaxSize(20);
  }
}
