package dev.flotilla.fleet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads one {@code kind: RolloutPolicy} document: its waves with batches, gates and thresholds. */
final class PolicyReader {
  private PolicyReader() {}

  /** A policy and where each of its waves was declared, for checks that need the whole fleet. */
  record Declared(RolloutPolicy policy, Header header, List<Integer> waveLines, List<String> wavePaths) {}

  static Declared read(Header h, Fleet fleet) {
    Fields spec = h.spec();
    RolloutPolicy.Supersede supersede = choice(spec, "supersede", RolloutPolicy.Supersede.class);
    RolloutPolicy.OnFailure onFailure = choice(spec, "onFailure", RolloutPolicy.OnFailure.class);
    List<String> tiers = fleet.tiers().stream().map(Tier::name).toList();
    List<WaveSpec> waves = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Fields> waveFields = spec.objects("waves", true);
    if (spec.has("waves") && waveFields.isEmpty()) spec.problem("waves", "a policy needs at least one wave");
    for (Fields w : waveFields) {
      WaveSpec wave = wave(w, tiers, fleet);
      if (wave == null) continue;
      if (!names.add(wave.name())) {
        w.problem("name", "duplicate wave name '" + wave.name() + "' in policy " + h.name());
        continue;
      }
      waves.add(wave);
      lines.add(w.line());
      paths.add(w.path());
    }
    BlueGreen blueGreen = strategy(spec);
    spec.rejectUnknown("supersede", "onFailure", "waves", "strategy", "scaleDownDelay");
    return new Declared(new RolloutPolicy(h.name(), waves, supersede, onFailure, blueGreen), h, lines, paths);
  }

  /**
   * {@code strategy: blueGreen} (with an optional {@code scaleDownDelay: 10m}, 30s by default, at
   * most 24h) or {@code strategy: inPlace} (the default); a delay without blue/green is a mistake.
   */
  private static BlueGreen strategy(Fields spec) {
    String strategy = spec.string("strategy", false);
    String delayText = spec.string("scaleDownDelay", false);
    boolean blueGreen = "blueGreen".equals(strategy);
    if (strategy != null && !blueGreen && !"inPlace".equals(strategy)) {
      spec.problem("strategy", "expected one of [inPlace, blueGreen], got '" + Names.shorten(strategy) + "'");
      return null;
    }
    if (delayText != null && !blueGreen) {
      spec.problem("scaleDownDelay", "only a policy with strategy: blueGreen has a scale-down delay");
      return null;
    }
    if (!blueGreen) return null;
    java.time.Duration delay = BlueGreen.DEFAULT_SCALE_DOWN_DELAY;
    if (delayText != null) {
      try {
        delay = Durations.parse(delayText);
        if (delay.compareTo(BlueGreen.MAX_SCALE_DOWN_DELAY) > 0) {
          spec.problem("scaleDownDelay", "must be at most 24h (the old copy is kept this long after the switch), got " + delayText);
          return null;
        }
      } catch (IllegalArgumentException e) {
        spec.problem("scaleDownDelay", e.getMessage());
        return null;
      }
    }
    return new BlueGreen(delay);
  }

  private static WaveSpec wave(Fields w, List<String> tiers, Fleet fleet) {
    String name = w.string("name", true);
    Fields selectorFields = w.object("selector", true);
    SiteSelector selector = SelectorReader.read(selectorFields, tiers, true);
    Quantity maxUnavailable = quantity(w, "maxUnavailable", 1);
    Quantity failureThreshold = quantity(w, "failureThreshold", 0);
    Quantity completion = quantity(w, "completion", 1);
    if (completion != null && !completion.percent()) {
      w.problem("completion", "expected a percentage of the wave's pull sites such as 90%");
      completion = null;
    }
    Gates gates = gates(w.object("gates", false), fleet);
    java.time.Duration deadline = null;
    String deadlineText = w.string("progressDeadline", false);
    if (deadlineText != null) {
      try {
        deadline = Durations.parse(deadlineText);
        if (deadline.isZero()) {
          w.problem("progressDeadline", "must be longer than zero, such as 10m");
          deadline = null;
        }
      } catch (IllegalArgumentException e) {
        w.problem("progressDeadline", e.getMessage());
      }
    }
    w.rejectUnknown("name", "selector", "maxUnavailable", "failureThreshold", "completion", "gates", "progressDeadline");
    if (name == null || !selectorFields.isPresent()) return null;
    String bad = Names.checkDns1123Label(name);
    if (bad != null) {
      w.problem("name", bad);
      return null;
    }
    return new WaveSpec(name, selector, maxUnavailable, gates, failureThreshold,
        completion == null ? 100 : completion.value(), deadline);
  }

  private static Quantity quantity(Fields f, String key, int min) {
    String text = f.string(key, false);
    if (text == null) return null;
    try {
      Quantity q = Quantity.parse(text);
      if (q.value() < min) {
        f.problem(key, "must be at least " + min + (q.percent() ? "%" : "") + ", got " + q);
        return null;
      }
      return q;
    } catch (IllegalArgumentException e) {
      f.problem(key, e.getMessage());
      return null;
    }
  }

  private static Gates gates(Fields g, Fleet fleet) {
    if (!g.isPresent()) {
      g.rejectUnknown();
      return Gates.NONE;
    }
    boolean health = g.bool("health");
    String approvalText = g.string("approval", false);
    boolean approval = "true".equals(approvalText) || "pull-request".equals(approvalText);
    boolean byPullRequest = "pull-request".equals(approvalText);
    if (approvalText != null && !approval && !"false".equals(approvalText)) {
      g.problem("approval", "expected true, false or pull-request, got '" + Names.shorten(approvalText) + "'");
    }
    List<String> ci = g.strings("ci", false);
    var soak = java.time.Duration.ZERO;
    String soakText = g.string("soak", false);
    if (soakText != null) {
      try {
        soak = Durations.parse(soakText);
      } catch (IllegalArgumentException e) {
        g.problem("soak", e.getMessage());
      }
    }
    Analysis analysis = analysis(g.object("analysis", false));
    String window = g.string("window", false);
    if (window != null && !fleet.windows().containsKey(window)) {
      g.problem("window", "no window named '" + window + "' in fleet.yaml (windows: "
          + fleet.windows().keySet().stream().sorted().toList() + ")");
    }
    g.rejectUnknown("health", "soak", "approval", "ci", "analysis", "window");
    return new Gates(health, soak, approval, ci, analysis, window, byPullRequest);
  }

  private static Analysis analysis(Fields a) {
    if (!a.isPresent()) return null;
    String query = a.string("query", true);
    Double threshold = a.number("threshold", true);
    String comparison = a.string("comparison", false);
    a.rejectUnknown("query", "threshold", "comparison");
    Analysis.Comparison c = Analysis.Comparison.BELOW;
    if (comparison != null) {
      try {
        c = Analysis.Comparison.parse(comparison);
      } catch (IllegalArgumentException e) {
        a.problem("comparison", e.getMessage());
      }
    }
    if (query == null || threshold == null) return null;
    return new Analysis(query, threshold, c);
  }

  private static <E extends Enum<E>> E choice(Fields f, String key, Class<E> type) {
    String text = f.string(key, false);
    if (text == null) return null;
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(text)) return e;
    }
    f.problem(key, "expected one of " + java.util.Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + Names.shorten(text) + "'");
    return null;
  }
}
