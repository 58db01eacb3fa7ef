package dev.flotilla.rollout;

import dev.flotilla.fleet.Analysis;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Gates;
import dev.flotilla.fleet.Quantity;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.RolloutPolicy.Supersede;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.fleet.WaveSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Small builders for sites, waves, plans and rollouts, so tests show only what matters to them. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");

  private Fixtures() {}

  static Site push(String name) {
    return new Site(name, Map.of(), "dc", Delivery.PUSH, ZoneOffset.UTC, Map.of(), null);
  }

  static Site pull(String name) {
    return new Site(name, Map.of(), "edge", Delivery.PULL, ZoneOffset.UTC, Map.of(), null);
  }

  static Site in(Site site, String zone) {
    return new Site(site.name(), site.labels(), site.tier(), site.delivery(), ZoneId.of(zone), site.values(), site.cluster());
  }

  static SiteSelector names(String... names) {
    return new SiteSelector(null, List.of(names), null, null, null);
  }

  static SiteSelector tiers(String... tiers) {
    return new SiteSelector(List.of(tiers), null, null, null, null);
  }

  static WaveSpec wave(String name, SiteSelector selector) {
    return new WaveSpec(name, selector, null, null, null, 100);
  }

  static WaveSpec wave(String name, SiteSelector selector, Gates gates) {
    return new WaveSpec(name, selector, null, gates, null, 100);
  }

  static WaveSpec wave(String name, SiteSelector selector, Quantity maxUnavailable, Quantity failureThreshold, int completion) {
    return new WaveSpec(name, selector, maxUnavailable, null, failureThreshold, completion);
  }

  static Gates health() {
    return new Gates(true, Duration.ZERO, false, List.of(), null, null);
  }

  static Gates soak(Duration d) {
    return new Gates(false, d, false, List.of(), null, null);
  }

  static Gates soakInWindow(Duration d, String window) {
    return new Gates(false, d, false, List.of(), null, window);
  }

  static Gates approval() {
    return new Gates(false, Duration.ZERO, true, List.of(), null, null);
  }

  static Gates ci(String... contexts) {
    return new Gates(false, Duration.ZERO, false, List.of(contexts), null, null);
  }

  static Gates analysis(double threshold, Analysis.Comparison comparison) {
    return new Gates(false, Duration.ZERO, false, List.of(), new Analysis("sum(errors)", threshold, comparison), null);
  }

  static Gates window(String name) {
    return new Gates(false, Duration.ZERO, false, List.of(), null, name);
  }

  static RolloutPolicy policy(OnFailure onFailure, WaveSpec... waves) {
    return new RolloutPolicy("p", List.of(waves), Supersede.QUEUE, onFailure);
  }

  static RolloutPlan plan(RolloutPolicy policy, List<Site> sites) {
    return RolloutPlan.of(policy, WavePlanner.plan(policy, sites));
  }

  static Rollout running(String id, String revision, String lastGood, RolloutPlan plan, Instant created) {
    return Rollout.queued(id, "pos", revision, lastGood, plan, created).withState(RolloutState.RUNNING, "");
  }

  static Rollout running(RolloutPolicy policy, List<Site> sites) {
    return running("pos-r2", "r2", "r1", plan(policy, sites), T0);
  }
}
