package dev.flotilla.agent;

import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.TrustChain;
import dev.flotilla.bundle.TrustStore;
import dev.flotilla.bundle.TrustUpdate;
import dev.flotilla.delivery.pull.SiteTrust;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the agent's trust store up to the trust version the engine serves, one version at a time
 * (N+1, N+2, …), each checked by {@link TrustStore#update} against the roots the agent already
 * holds: the engine is only a courier, and a version it serves that the roots did not sign (or that
 * skips a version) is refused, the current trust stays, and the refusal is kept as the {@link
 * #state()}'s problem until a later update is accepted. The engine's ETag is remembered so an
 * unchanged version costs a 304.
 */
final class TrustUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(TrustUpdates.class);

  private final String site;
  private final EngineClient client;
  private final TrustStore store;
  private int version;
  private String etag;
  private String problem;

  TrustUpdates(String site, EngineClient client, TrustStore store) throws AgentException {
    this.site = site;
    this.client = client;
    this.store = store;
    this.version = load(store);
  }

  /** What the agent reports: its trust version and the last refusal, if any. */
  SiteTrust state() {
    return new SiteTrust(version, problem);
  }

  /**
   * Asks the engine for its newest trust version ({@code force}: even when the ETag did not change,
   * after a bundle named a key the agent does not know) and takes every version up to it. Returns
   * true when the trust version moved.
   */
  boolean refresh(boolean force) throws EngineUnreachable, AgentException, InterruptedException {
    EngineClient.Answer<Integer> answer = client.trustVersion(force ? null : etag);
    if (!(answer instanceof EngineClient.Changed<Integer> c)) return false;
    int served = c.body();
    int before = version;
    for (int next = version + 1; next <= served; next++) {
      Optional<byte[]> document = client.trustDocument(next, TrustChain.MAX_DOCUMENT_BYTES);
      if (document.isEmpty()) {
        refused("the engine serves trust version " + served + " but not version " + next + "; keeping version " + version);
        break;
      }
      TrustUpdate update;
      try {
        update = store.update(document.get());
      } catch (BundleException e) {
        throw new AgentException("cannot update the trust store: " + e.getMessage(), e);
      }
      if (update instanceof TrustUpdate.Rejected r) {
        refused("trust version " + next + " rejected, keeping version " + version + ": " + r.message());
        break;
      }
      version = ((TrustUpdate.Accepted) update).document().version();
      problem = null;
      LOG.info("agent {}: trust version {} accepted", site, version);
    }
    // Remembered after a refusal too: the same refused version is not fetched again every round.
    etag = c.etag();
    if (served < version) LOG.debug("agent {}: the engine serves trust version {}, older than this site's {}", site, served, version);
    return version != before;
  }

  private void refused(String why) {
    if (!why.equals(problem)) LOG.warn("agent {}: {}", site, why);
    problem = why;
  }

  private static int load(TrustStore store) throws AgentException {
    try {
      return store.load().version();
    } catch (BundleException e) {
      throw new AgentException(e.getMessage(), e);
    }
  }
}
