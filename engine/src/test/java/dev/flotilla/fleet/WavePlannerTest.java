package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WavePlannerTest {

  static Site site(String name, String tier, Map<String, String> labels) {
    return new Site(name, labels, tier, Delivery.PULL, ZoneOffset.UTC, Map.of(), null);
  }

  static WaveSpec wave(String name, SiteSelector selector) {
    return new WaveSpec(name, selector, null, null, null, 100);
  }

  static SiteSelector tiers(String... tiers) {
    return new SiteSelector(List.of(tiers), null, null, null, null);
  }

  static SiteSelector percent(int p, String... tiers) {
    return new SiteSelector(List.of(tiers), null, null, null, p);
  }

  static List<Site> stores(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> site("store-%03d".formatted(i), "pop", Map.of())).toList();
  }

  @Test
  void siteBelongsToTheFirstWaveThatSelectsIt() {
    Site canary = site("dc-1", "dc", Map.of("canary", "true"));
    Site other = site("dc-2", "dc", Map.of());
    RolloutPolicy policy = new RolloutPolicy("p", List.of(
        wave("canary", new SiteSelector(null, null, Map.of("canary", "true"), null, null)),
        wave("dcs", tiers("dc"))), null, null);

    WavePlanner.Result result = WavePlanner.plan(policy, List.of(other, canary));

    assertThat(result.waves().get(0).siteNames()).containsExactly("dc-1");
    assertThat(result.waves().get(1).siteNames()).containsExactly("dc-2");
    assertThat(result.unselected()).isEmpty();
  }

  @Test
  void targetedSitesNoWaveSelectsAreReturned() {
    RolloutPolicy policy = new RolloutPolicy("p", List.of(wave("dcs", tiers("dc"))), null, null);

    WavePlanner.Result result = WavePlanner.plan(policy, List.of(site("s-1", "pop", Map.of())));

    assertThat(result.unselected()).extracting(Site::name).containsExactly("s-1");
  }

  @Test
  void percentRoundsUpAndTakesAtLeastOne() {
    assertThat(WavePlanner.share(stores(24), 10)).hasSize(3);
    assertThat(WavePlanner.share(stores(3), 1)).hasSize(1);
    assertThat(WavePlanner.share(stores(10), 100)).hasSize(10);
    assertThat(WavePlanner.share(List.of(), 50)).isEmpty();
  }

  @Test
  void percentIsDeterministicWhateverTheInputOrder() {
    List<Site> sites = stores(100);
    List<Site> reversed = new java.util.ArrayList<>(sites);
    java.util.Collections.reverse(reversed);

    assertThat(WavePlanner.share(sites, 10)).containsExactlyInAnyOrderElementsOf(WavePlanner.share(reversed, 10));
  }

  @Test
  void percentIsStableWhenTheFleetGrows() {
    List<String> before = WavePlanner.share(stores(100), 10).stream().map(Site::name).toList();
    List<String> after = WavePlanner.share(stores(101), 10).stream().map(Site::name).toList();

    // 10 of 100 → 11 of 101: the ten chosen before are still chosen unless the new site outranks one
    assertThat(after).hasSize(11);
    assertThat(after.stream().filter(before::contains).count()).isGreaterThanOrEqualTo(9);
  }

  @Test
  void percentWaveTakesItsShareOfSitesNoEarlierWaveTook() {
    RolloutPolicy policy = new RolloutPolicy("p", List.of(
        wave("first-half", percent(50, "pop")),
        wave("rest", tiers("pop"))), null, null);

    WavePlanner.Result result = WavePlanner.plan(policy, stores(24));

    assertThat(result.waves().get(0).sites()).hasSize(12);
    assertThat(result.waves().get(1).sites()).hasSize(12);
    assertThat(result.waves().get(0).siteNames()).doesNotContainAnyElementsOf(result.waves().get(1).siteNames());
  }

  @Test
  void wavesListSitesInNameOrder() {
    RolloutPolicy policy = new RolloutPolicy("p", List.of(wave("all", SiteSelector.ALL)), null, null);

    WavePlanner.Result result = WavePlanner.plan(policy, List.of(site("b", "x", Map.of()), site("a", "x", Map.of())));

    assertThat(result.waves().get(0).siteNames()).containsExactly("a", "b");
  }
}
