package dev.flotilla.engine;

import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.rollout.PlannedSite;
import dev.flotilla.rollout.PlannedWave;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.SiteProgress;
import dev.flotilla.rollout.WaveProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.flotilla.drift.SiteDrift;
import dev.flotilla.engine.view.DriftView;

/** Turns rollout snapshots into the API's views: counts per wave, and what the rollout waits on. */
final class RolloutViews {
  private RolloutViews() {}

  static RolloutView of(Rollout r, String waitingOn, Instant now, boolean withSites) {
    return of(r, waitingOn, now, withSites, Map.of());
  }

  /** As above; {@code drift} maps a site to the last drift check there of this rollout's app (shown when it compared this release). */
  static RolloutView of(Rollout r, String waitingOn, Instant now, boolean withSites, Map<String, SiteDrift> drift) {
    List<RolloutView.WaveView> waves = new ArrayList<>();
    for (int i = 0; i < r.plan().waves().size(); i++) {
      PlannedWave wave = r.plan().wave(i);
      WaveProgress progress = r.wave(i);
      int done = 0, updating = 0, failed = 0, pending = 0, offline = 0;
      for (PlannedSite s : wave.sites()) {
        SiteProgress p = r.site(s.site());
        switch (p.status()) {
          case DONE -> done++;
          case FAILED -> failed++;
          case PENDING -> pending++;
          case UPDATING -> {
            if (s.delivery() == Delivery.PULL && p.silentSinceSent(now)) offline++;
            else updating++;
          }
        }
      }
      String gate = i == r.currentWave() ? waitingOn : null;
      waves.add(new RolloutView.WaveView(wave.name(), progress.phase().name(), wave.sites().size(), done, updating, failed,
          pending, offline, gate, progress.startedAt(), progress.passedAt()));
    }
    List<RolloutView.SiteTargetView> sites = new ArrayList<>();
    if (withSites) {
      for (PlannedWave wave : r.plan().waves()) {
        for (PlannedSite s : wave.sites()) {
          SiteProgress p = r.site(s.site());
          SiteDrift d = drift.get(s.site());
          DriftView shown = d != null && d.revision().equals(r.revision()) ? DriftView.of(d) : null;
          sites.add(new RolloutView.SiteTargetView(s.site(), wave.name(), p.status().name(), p.sentAt(), p.doneAt(), p.message(),
              shown));
        }
      }
    }
    return new RolloutView(r.id(), r.app(), r.revision(), r.kind().name(), r.state().name(), r.reason(), r.currentWave(),
        r.createdAt(), waitingOn, waves, sites);
  }
}
