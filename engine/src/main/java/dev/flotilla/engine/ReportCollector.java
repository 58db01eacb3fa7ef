package dev.flotilla.engine;

import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.store.JdbcSiteReports;
import dev.flotilla.store.StoreException;
import dev.flotilla.store.StoredReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings what an adapter knows about its sites (the simulator's reports, a push adapter's health
 * checks) into the site reports the pass reads, writing only the reports that changed since the
 * last collection. Agents of pull sites report to the API instead and need no collector.
 */
public final class ReportCollector {

  /** The apps whose reports matter now: those of live rollouts. */
  @FunctionalInterface
  public interface Apps {
    List<String> names() throws StoreException;
  }

  private final Delivery delivery;
  private final JdbcSiteReports reports;
  private final Apps apps;
  private final Map<String, SiteReport> last = new HashMap<>();

  public ReportCollector(Delivery delivery, JdbcSiteReports reports, Apps apps) {
    this.delivery = delivery;
    this.reports = reports;
    this.apps = apps;
  }

  /** Records every report that changed since the last call; returns how many. */
  public synchronized int collect() throws StoreException {
    List<SiteReport> changed = new ArrayList<>();
    for (String app : apps.names()) {
      for (SiteReport r : delivery.statuses(app)) {
        if (r.revision() == null) continue;
        if (!r.equals(last.get(key(r)))) changed.add(r);
      }
    }
    reports.record(changed.stream().map(r -> new StoredReport(r.site(), r.app(), r.revision(), r.health().name(), r.observedAt(),
        r.message(), null, null)).toList());
    for (SiteReport r : changed) last.put(key(r), r);
    return changed.size();
  }

  private static String key(SiteReport r) {
    return r.app() + "\n" + r.site();
  }
}
