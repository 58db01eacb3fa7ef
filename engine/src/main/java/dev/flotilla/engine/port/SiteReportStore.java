package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.List;

/** What sites last reported per app, written by delivery and agents and read by the scheduling pass. */
public interface SiteReportStore {
  /** Records observations (revision, health, time, message); clears an unreachable mark, since the site was heard from. */
  void record(List<StoredReport> reports) throws StoreException;

  /** Marks the site unreachable for the app since {@code at}, keeping what it last reported. */
  void unreachable(String site, String app, Instant at, String why) throws StoreException;

  /** Every report of the app, in one query. */
  List<StoredReport> of(String app) throws StoreException;

  /**
   * The observations of the app recorded after change number {@code after} (0 for all of them),
   * and the highest change number among them ({@code after} when there are none). Numbers are
   * taken when a write happens, not when it commits: a concurrent write may land below a number
   * already read, so a reader that follows changes reads everything now and then.
   */
  ReportChanges changedSince(String app, long after) throws StoreException;

  /** Reports with the highest change number among them. */
  record ReportChanges(List<StoredReport> reports, long upTo) {}

  /** Every report, for the sites view. */
  List<StoredReport> all() throws StoreException;
}
