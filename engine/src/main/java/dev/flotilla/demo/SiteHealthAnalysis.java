package dev.flotilla.demo;

import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.engine.AnalysisSource;
import dev.flotilla.fleet.Analysis;
import java.util.List;

/**
 * The demo's stand-in for Prometheus: the analysis gate's value is the error ratio of the wave's
 * sites as the simulated sites report it, the share of them whose report for some app is FAILED
 * or DEGRADED. Empty (the gate waits) while none of the sites has reported.
 */
final class SiteHealthAnalysis implements AnalysisSource {
  private final Delivery sites;
  private final List<String> apps;

  SiteHealthAnalysis(Delivery sites, List<String> apps) {
    this.sites = sites;
    this.apps = List.copyOf(apps);
  }

  @Override
  public Result evaluate(Analysis analysis, List<String> waveSites) {
    int reporting = 0;
    int failing = 0;
    for (String site : waveSites) {
      List<SiteReport> reports = apps.stream().flatMap(app -> sites.status(site, app).stream()).toList();
      if (reports.isEmpty()) continue;
      reporting++;
      if (reports.stream().anyMatch(r -> r.health() == Health.FAILED || r.health() == Health.DEGRADED)) failing++;
    }
    return reporting == 0 ? Result.none("no site of the wave has reported yet") : Result.of((double) failing / waveSites.size());
  }
}
