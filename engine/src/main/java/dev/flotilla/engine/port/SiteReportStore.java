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

  /** Every report, for the sites view. */
  List<StoredReport> all() throws StoreException;
}
