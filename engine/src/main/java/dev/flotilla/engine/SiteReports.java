package dev.flotilla.engine;

import dev.flotilla.engine.port.SiteReportStore.ReportChanges;
import dev.flotilla.engine.port.StoreException;

/** What the sites of an app reported, as recorded: the only way a pass learns about sites. */
@FunctionalInterface
public interface SiteReports {
  /** The app's reports recorded after change number {@code after} ({@code -1}: all of them). */
  ReportChanges changedSince(String app, long after) throws StoreException;
}
