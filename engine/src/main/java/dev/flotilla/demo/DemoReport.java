package dev.flotilla.demo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.flotilla.api.Json;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.delivery.AppliedRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code flotilla demo --report FILE} writes: every rollout of the run with its waves and their
 * sites, and every apply a simulated site did, with the wave the site had in that apply's rollout.
 * Instants are ISO-8601 strings of the demo's simulated clock.
 */
@JsonPropertyOrder({"scenario", "sites", "rollouts", "siteUpdates"})
public record DemoReport(String scenario, int sites, List<RolloutEntry> rollouts, List<SiteUpdate> siteUpdates) {

  /** One rollout; {@code id} and {@code kind} (RELEASE or ROLLBACK) tell a rollback from its release. */
  @JsonPropertyOrder({"id", "kind", "app", "revision", "state", "waves"})
  public record RolloutEntry(String id, String kind, String app, String revision, String state, List<WaveEntry> waves) {}

  /** One wave of a rollout; the instants are null while the wave has not started or not passed. */
  @JsonPropertyOrder({"name", "sites", "startedAt", "completedAt"})
  public record WaveEntry(String name, List<String> sites, Instant startedAt, Instant completedAt) {}

  /** One apply by a site (a failed one included), in the order the sites did them. */
  @JsonPropertyOrder({"site", "app", "revision", "wave", "at"})
  public record SiteUpdate(String site, String app, String revision, String wave, Instant at) {}

  public DemoReport {
    rollouts = List.copyOf(rollouts);
    siteUpdates = List.copyOf(siteUpdates);
  }

  /** The report of a run from the rollouts' views (with their sites) and the simulator's history. */
  static DemoReport of(DemoScenario scenario, int sites, List<RolloutView> views, List<AppliedRelease> history) {
    List<RolloutEntry> rollouts = new ArrayList<>();
    Map<String, Map<String, String>> waveOfSite = new HashMap<>();
    for (RolloutView v : views) {
      Map<String, List<String>> sitesOfWave = new HashMap<>();
      Map<String, String> waves = waveOfSite.computeIfAbsent(v.id(), id -> new HashMap<>());
      for (RolloutView.SiteTargetView s : v.sites()) {
        sitesOfWave.computeIfAbsent(s.wave(), w -> new ArrayList<>()).add(s.site());
        waves.put(s.site(), s.wave());
      }
      List<WaveEntry> entries = v.waves().stream()
          .map(w -> new WaveEntry(w.name(), sitesOfWave.getOrDefault(w.name(), List.of()), w.startedAt(), w.completedAt()))
          .toList();
      rollouts.add(new RolloutEntry(v.id(), v.kind(), v.app(), v.revision(), v.state(), entries));
    }
    List<SiteUpdate> updates = history.stream()
        .map(a -> new SiteUpdate(a.site(), a.app(), a.revision(),
            a.rolloutId() == null ? null : waveOfSite.getOrDefault(a.rolloutId(), Map.of()).get(a.site()), a.at()))
        .toList();
    return new DemoReport(scenario.word(), sites, rollouts, updates);
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
  }

  public static DemoReport read(Path file) throws IOException {
    return Json.mapper().readValue(file.toFile(), DemoReport.class);
  }
}
