package dev.flotilla.engine;

import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.StoredReport;
import java.util.List;

/** What the sites of an app last reported, as recorded: the only way a pass learns about sites. */
@FunctionalInterface
public interface SiteReports {
  List<StoredReport> of(String app) throws StoreException;
}
