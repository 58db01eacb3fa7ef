package dev.flotilla.rollout;

import dev.flotilla.fleet.Analysis;
import dev.flotilla.fleet.Gates;
import dev.flotilla.fleet.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the gates a wave's spec names, once its sites are updated. Soak counts time since the
 * wave became continuously healthy; when the wave has a window, only time in which the window was
 * open for at least one of the wave's sites counts (the union of the sites' windows, so that a
 * wave whose sites' zones never share an open hour still soaks).
 */
final class GateCheck {

  private GateCheck() {}

  static List<GateVerdict> check(Rollout r, int wave, GateSignals signals, FleetTime time, Instant now) {
    Gates gates = r.plan().wave(wave).spec().gates();
    List<GateVerdict> verdicts = new ArrayList<>();
    if (gates.health()) verdicts.add(health(r, wave));
    if (!gates.soak().isZero()) verdicts.add(soak(r, wave, gates, time, now));
    if (gates.approval()) verdicts.add(approval(r.wave(wave), gates.approvalByPullRequest()));
    if (!gates.ci().isEmpty()) verdicts.add(ci(gates.ci(), signals));
    if (gates.analysis() != null) verdicts.add(analysis(gates.analysis(), signals));
    if (gates.window() != null) {
      verdicts.add(new GateVerdict.Passed(Gate.WINDOW, "every site was updated inside window " + gates.window()));
    }
    return verdicts;
  }

  static GateVerdict health(Rollout r, int wave) {
    int done = WaveCounts.count(r, wave, SiteStatus.DONE);
    List<String> unhealthy = WaveCounts.unhealthy(r, wave);
    if (unhealthy.isEmpty()) return new GateVerdict.Passed(Gate.HEALTH, done + "/" + done + " done sites healthy");
    return new GateVerdict.Waiting(Gate.HEALTH, "unhealthy: " + String.join(", ", unhealthy));
  }

  static GateVerdict soak(Rollout r, int wave, Gates gates, FleetTime time, Instant now) {
    Instant since = r.wave(wave).healthySince();
    if (since == null) return new GateVerdict.Waiting(Gate.SOAK, "the wave is not healthy; soak has not started");
    Duration needed = gates.soak();
    Duration soaked;
    if (gates.window() == null) {
      soaked = Duration.between(since, now);
    } else {
      Optional<Window> window = time.window(gates.window());
      if (window.isEmpty()) return new GateVerdict.Waiting(Gate.SOAK, "window " + gates.window() + " is not defined in fleet.yaml");
      List<ZoneId> zones = r.plan().wave(wave).sites().stream().map(PlannedSite::timezone).distinct().toList();
      soaked = WindowSchedule.openTime(window.get(), zones, since, now, needed);
    }
    if (soaked.compareTo(needed) >= 0) return new GateVerdict.Passed(Gate.SOAK, "healthy for " + needed + " since " + since);
    return new GateVerdict.Waiting(Gate.SOAK, "soaked " + soaked + " of " + needed);
  }

  static GateVerdict approval(WaveProgress progress, boolean byPullRequest) {
    Signoff a = progress.approval();
    if (a == null && byPullRequest) {
      return new GateVerdict.Waiting(Gate.APPROVAL, "waiting for the promotion pull request to be merged (or a person to approve)");
    }
    if (a == null) return new GateVerdict.Waiting(Gate.APPROVAL, "waiting for a person to approve");
    return new GateVerdict.Passed(Gate.APPROVAL, "approved by " + a.actor() + " at " + a.at());
  }

  static GateVerdict ci(List<String> contexts, GateSignals signals) {
    List<String> failed = contexts.stream().filter(c -> signals.ciStatus(c) == CiStatus.FAILED).toList();
    if (!failed.isEmpty()) return new GateVerdict.Failed(Gate.CI, "failed: " + String.join(", ", failed));
    List<String> pending = contexts.stream().filter(c -> signals.ciStatus(c) == CiStatus.PENDING).toList();
    if (!pending.isEmpty()) return new GateVerdict.Waiting(Gate.CI, "pending: " + String.join(", ", pending));
    return new GateVerdict.Passed(Gate.CI, "green: " + String.join(", ", contexts));
  }

  static GateVerdict analysis(Analysis analysis, GateSignals signals) {
    if (signals.analysis().isEmpty()) return new GateVerdict.Waiting(Gate.ANALYSIS, "no value yet for " + analysis.query());
    double v = signals.analysis().getAsDouble();
    String text = "value " + v + ", must be " + analysis.comparison().symbol() + " " + analysis.threshold();
    return holds(analysis, v) ? new GateVerdict.Passed(Gate.ANALYSIS, text) : new GateVerdict.Failed(Gate.ANALYSIS, text);
  }

  static boolean holds(Analysis analysis, double v) {
    double t = analysis.threshold();
    return switch (analysis.comparison()) {
      case BELOW -> v < t;
      case AT_MOST -> v <= t;
      case ABOVE -> v > t;
      case AT_LEAST -> v >= t;
    };
  }
}
