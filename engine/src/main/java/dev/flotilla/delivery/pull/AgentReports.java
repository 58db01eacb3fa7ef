package dev.flotilla.delivery.pull;

import dev.flotilla.engine.port.StoreException;
import java.util.List;

/**
 * What agents reported, durably: the newest report per (site, app), and how far each site's
 * report queue has been taken, so a report replayed after a lost answer is taken only once.
 */
public interface AgentReports {
  /**
   * Takes the reports of {@code site}'s queue {@code epoch} whose {@code seq} is above what was
   * taken before, in order, in one transaction; returns the highest seq taken so far (what the
   * agent may drop from its queue). A new epoch (a queue started afresh) starts from nothing.
   */
  long take(String site, String epoch, List<AgentReport> reports) throws StoreException;

  /** The newest report of every site for {@code app}, with its site. */
  List<SiteAgentReport> of(String app) throws StoreException;

  /**
   * Records the trust version {@code site}'s agent reported at {@code at} (the engine's time); a
   * new version starts its {@code since}, the same version moves only {@code reportedAt}.
   */
  void trust(String site, SiteTrust trust, java.time.Instant at) throws StoreException;

  /** Every site with a token or a trust report, by name: what it acknowledged (version null: never reported). */
  List<AcknowledgedTrust> trust() throws StoreException;

  /** A report with the site it came from. */
  record SiteAgentReport(String site, AgentReport report) {}
}
