package dev.flotilla.engine;

import dev.flotilla.store.StoreException;
import dev.flotilla.store.StoredReport;
import java.util.List;

/** What the sites of an app last reported, as recorded: the only way a pass learns about sites. */
@FunctionalInterface
public interface SiteReports {
  List<StoredReport> of(String app) throws StoreException;
}
