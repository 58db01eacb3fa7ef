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
 * sites, every apply a site did (simulated, or pushed to a mock API server), with the wave the site
 * had in that apply's rollout, and with {@code --push-mock} what each push site's mock API server
 * holds at the end (empty without). Instants are ISO-8601 strings of the demo's simulated clock.
 */
@JsonPropertyOrder({"scenario", "sites", "rollouts", "siteUpdates", "pushSites"})
public record DemoReport(String scenario, int sites, List<RolloutEntry> rollouts, List<SiteUpdate> siteUpdates,
    List<PushSite> pushSites) {

  /** One rollout; {@code id} and {@code kind} (RELEASE or ROLLBACK) tell a rollback from its release. */
  @JsonPropertyOrder({"id", "kind", "app", "revision", "state", "waves"})
  public record RolloutEntry(String id, String kind, String app, String revision, String state, List<WaveEntry> waves) {}

  /** One wave of a rollout; the instants are null while the wave has not started or not passed. */
  @JsonPropertyOrder({"name", "sites", "startedAt", "completedAt"})
  public record WaveEntry(String name, List<String> sites, Instant startedAt, Instant completedAt) {}

  /** One apply by a site (a failed one included), in the order the sites did them. */
  @JsonPropertyOrder({"site", "app", "revision", "wave", "at"})
  public record SiteUpdate(String site, String app, String revision, String wave, Instant at) {}

  /**
   * One push site's mock API server after the run: its URL, how many server-side applies it took,
   * and per app the revisions ({@code flotilla.dev/revision}) its objects carry (one, unless an
   * apply stopped part way).
   */
  @JsonPropertyOrder({"site", "server", "applies", "revisions"})
  public record PushSite(String site, String server, long applies, Map<String, List<String>> revisions) {}

  public DemoReport {
    rollouts = List.copyOf(rollouts);
    siteUpdates = List.copyOf(siteUpdates);
    pushSites = pushSites == null ? List.of() : List.copyOf(pushSites);
  }

  /** The report of a run from the rollouts' views (with their sites) and the simulator's history. */
  static DemoReport of(DemoScenario scenario, int sites, List<RolloutView> views, List<AppliedRelease> history,
      List<MockPushSites.SiteServer> servers) {
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
    List<PushSite> pushSites = servers.stream().map(s -> new PushSite(s.site(), s.server(), s.applies(), s.revisions())).toList();
    return new DemoReport(scenario.word(), sites, rollouts, updates, pushSites);
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
