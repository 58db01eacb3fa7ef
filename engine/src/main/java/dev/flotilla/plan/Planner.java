package dev.flotilla.plan;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.flotilla.fleet.App;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.Wave;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.fleet.Window;
import dev.flotilla.rollout.WindowSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares the desired state of two revisions and says, for every app whose output changes at some
 * site, which objects are added, changed and removed where, and in which waves the change would
 * travel. The waves come from the policy at the newer revision; an app removed at the newer
 * revision keeps the waves of the older one.
 */
public final class Planner {
  private static final int DIFF_CONTEXT = 3;

  private Planner() {}

  /**
   * The plan of {@code from} → {@code to}, made at {@code at}: the time each wave's window is next
   * open is reckoned from it.
   */
  public static Plan plan(FleetModel fromModel, DesiredObjects from, FleetModel toModel, DesiredObjects to, Instant at) {
    TreeSet<String> apps = new TreeSet<>(from.apps());
    apps.addAll(to.apps());
    List<AppPlan> plans = new ArrayList<>();
    for (String app : apps) {
      List<SiteChange> changes = siteChanges(from.sites(app), to.sites(app));
      if (changes.isEmpty()) continue;
      FleetModel model = toModel.app(app).isPresent() ? toModel : fromModel;
      App declared = model.app(app).orElseThrow();
      Set<String> changing = changes.stream().map(SiteChange::site).collect(Collectors.toSet());
      plans.add(new AppPlan(app, declared.policy(), waves(model, declared, changing, at), changes));
    }
    return new Plan(from.revision(), to.revision(), plans);
  }

  private static List<WaveSites> waves(FleetModel model, App app, Set<String> changing, Instant at) {
    RolloutPolicy policy = model.policy(app.policy()).orElseThrow();
    List<WaveSites> out = new ArrayList<>();
    for (Wave wave : WavePlanner.plan(policy, model.targets(app)).waves()) {
      out.add(new WaveSites(wave.name(), wave.siteNames(), changing, tiers(model, wave, changing), window(model, wave, changing, at)));
    }
    return out;
  }

  /** The wave's window, if its gates name one, and when it opens in each time zone of the wave's changing sites. */
  static Optional<WaveWindow> window(FleetModel model, Wave wave, Set<String> changing, Instant at) {
    String name = wave.spec().gates().window();
    if (name == null) return Optional.empty();
    Window window = model.fleet().windows().get(name);
    if (window == null) return Optional.empty(); // validation refuses a wave naming an unknown window
    Map<ZoneId, Integer> sitesPerZone = new TreeMap<>(Comparator.comparing(ZoneId::getId));
    for (Site site : wave.sites()) {
      if (changing.contains(site.name())) sitesPerZone.merge(site.timezone(), 1, Integer::sum);
    }
    List<WaveWindow.ZoneOpening> zones = new ArrayList<>();
    sitesPerZone.forEach((zone, count) -> zones.add(new WaveWindow.ZoneOpening(zone, count, WindowSchedule.isOpen(window, zone, at),
        WindowSchedule.nextOpening(window, zone, at))));
    return Optional.of(new WaveWindow(name, window.cron(), window.duration(), zones));
  }

  /** The wave's sites counted per tier, in the fleet's tier order (a tier without a site of the wave is left out). */
  static List<TierCount> tiers(FleetModel model, Wave wave, Set<String> changing) {
    Map<String, int[]> counts = new java.util.LinkedHashMap<>();
    model.fleet().tiers().forEach(t -> counts.put(t.name(), new int[2]));
    for (Site site : wave.sites()) {
      int[] c = counts.computeIfAbsent(site.tier(), t -> new int[2]);
      c[0]++;
      if (changing.contains(site.name())) c[1]++;
    }
    List<TierCount> out = new ArrayList<>();
    counts.forEach((tier, c) -> {
      if (c[0] > 0) out.add(new TierCount(tier, c[0], c[1]));
    });
    return out;
  }

  static List<SiteChange> siteChanges(
      Map<String, SortedMap<String, String>> before, Map<String, SortedMap<String, String>> after) {
    TreeSet<String> sites = new TreeSet<>(before.keySet());
    sites.addAll(after.keySet());
    List<SiteChange> out = new ArrayList<>();
    for (String site : sites) {
      SiteChange change = compare(site, before.getOrDefault(site, new TreeMap<>()), after.getOrDefault(site, new TreeMap<>()));
      if (!change.isEmpty()) out.add(change);
    }
    return out;
  }

  static SiteChange compare(String site, SortedMap<String, String> before, SortedMap<String, String> after) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<ObjectDiff> diffs = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>(before.keySet());
    ids.addAll(after.keySet());
    for (String id : ids) {
      String b = before.get(id);
      String a = after.get(id);
      if (b == null) {
        added.add(id);
      } else if (a == null) {
        removed.add(id);
      } else if (!a.equals(b)) {
        changed.add(id);
        diffs.add(new ObjectDiff(id, unifiedDiff(id, b, a)));
      }
    }
    return new SiteChange(site, added, changed, removed, diffs);
  }

  static String unifiedDiff(String id, String before, String after) {
    List<String> a = before.lines().toList();
    List<String> b = after.lines().toList();
    List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(id, id, a, DiffUtils.diff(a, b), DIFF_CONTEXT);
    return String.join("\n", lines) + "\n";
  }
}
