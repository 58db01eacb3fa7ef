package dev.flotilla.engine;

import dev.flotilla.fleet.App;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.SignedCommits;
import dev.flotilla.git.FetchOutcome;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.git.SignatureVerdict;
import dev.flotilla.render.RenderDigest;
import dev.flotilla.render.RenderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the fleet repo's branch: fetches, and for a new revision finds the apps whose rendered
 * output changed for some site (compared by digest, the revision left out), which become releases. Following Git never disturbs what runs: a
 * fetch failure, an invalid revision, a revision refused by {@code requireSignedCommits} or an app
 * that fails to render is reported to the {@link ReleaseSink} and affects nothing else.
 */
public final class FleetSync {
  private static final Logger LOG = LoggerFactory.getLogger(FleetSync.class);

  private final FleetRepoSource source;
  private final String branch;
  private final RevisionCatalog catalog;
  private final ReleaseSink sink;
  private final MergedPromotions promotions;
  /** The operator's pinned allowed signers ({@code serve --allowed-signers}); empty without a pin. */
  private final Optional<SignedCommits> pinned;

  /** What a new revision's promotion files approve ({@link PromotionMerges#arrived}); looked at before the revision is marked synced. */
  @FunctionalInterface
  public interface MergedPromotions {
    void arrived(String lastSynced, String commit) throws GitSyncException, dev.flotilla.engine.port.StoreException;
  }

  public FleetSync(FleetRepoSource source, String branch, RevisionCatalog catalog, ReleaseSink sink) {
    this(source, branch, catalog, sink, (last, commit) -> { });
  }

  public FleetSync(FleetRepoSource source, String branch, RevisionCatalog catalog, ReleaseSink sink, MergedPromotions promotions) {
    this(source, branch, catalog, sink, promotions, Optional.empty());
  }

  /** With {@code pinned} ({@code serve --allowed-signers}): every revision must be signed; see {@link SignerListRule}. */
  public FleetSync(FleetRepoSource source, String branch, RevisionCatalog catalog, ReleaseSink sink, MergedPromotions promotions,
      Optional<SignedCommits> pinned) {
    this.source = source;
    this.branch = branch;
    this.catalog = catalog;
    this.sink = sink;
    this.promotions = promotions;
    this.pinned = pinned;
  }

  /**
   * What one sync did: the revision followed afterwards, the one fetched ({@code attempted}, null
   * when fetching failed), the releases made and failed (with each failure's reason), and the
   * error with the fleet's validation problems ({@code file:line: field: message}) when the revision was invalid.
   * {@code refused}: the revision's commit signature did not satisfy {@code requireSignedCommits}
   * ({@code error} says why); {@code signedBy}: the allowed signer and key of an accepted signed revision.
   */
  public record Outcome(String revision, boolean changed, boolean forced, List<String> released, List<String> failed, String error,
      String attempted, List<String> problems, Map<String, String> failures, boolean refused, String signedBy) {
    Outcome(String revision, boolean changed, boolean forced, List<String> released, List<String> failed, String error,
        String attempted, List<String> problems, Map<String, String> failures) {
      this(revision, changed, forced, released, failed, error, attempted, problems, failures, false, null);
    }
  }

  /** Fetches and compares with {@code lastSynced} (null on the first sync: every app is released). */
  public Outcome sync(String lastSynced) {
    String commit;
    try {
      FetchOutcome fetched = source.fetch(branch);
      commit = fetched.commit();
    } catch (GitSyncException e) {
      LOG.warn("sync {}: fetch failed, keeping {}: {}", branch, lastSynced, e.getMessage());
      sink.syncFailed(branch, e.getMessage());
      return new Outcome(lastSynced, false, false, List.of(), List.of(), e.getMessage(), null, List.of(), Map.of());
    }
    if (commit.equals(lastSynced)) return new Outcome(commit, false, false, List.of(), List.of(), null, commit, List.of(), Map.of());
    SignatureVerdict signature;
    try {
      signature = signature(lastSynced, commit);
    } catch (FleetValidationException e) {
      return invalid(commit, lastSynced, e);
    } catch (GitSyncException e) {
      sink.syncFailed(branch, e.getMessage());
      return new Outcome(lastSynced, false, false, List.of(), List.of(), e.getMessage(), commit, List.of(), Map.of());
    }
    if (signature instanceof SignatureVerdict.Refused refused) {
      LOG.warn("sync {}: revision {} refused, keeping {}: {}", branch, commit, lastSynced, refused.reason());
      sink.revisionRefused(branch, commit, refused.reason());
      return new Outcome(lastSynced, false, false, List.of(), List.of(), refused.reason(), commit, List.of(), Map.of(), true, null);
    }
    String signedBy = signature instanceof SignatureVerdict.Trusted trusted ? trusted.signer() + " (" + trusted.key() + ")" : null;
    boolean forced;
    FleetModel model;
    try {
      forced = lastSynced != null && !source.isAncestor(lastSynced, commit);
      model = catalog.model(commit);
    } catch (FleetValidationException e) {
      return invalid(commit, lastSynced, e);
    } catch (GitSyncException e) {
      sink.syncFailed(branch, e.getMessage());
      return new Outcome(lastSynced, false, false, List.of(), List.of(), e.getMessage(), commit, List.of(), Map.of());
    }
    List<String> released = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    Map<String, String> failures = new java.util.TreeMap<>();
    for (App app : model.apps()) {
      Map<String, RenderDigest> after;
      try {
        after = catalog.digests(app.name(), commit);
      } catch (RenderException | GitSyncException | FleetValidationException e) {
        LOG.warn("sync {}: release {}@{} failed to render: {}", branch, app.name(), commit, e.getMessage());
        sink.releaseFailed(app.name(), commit, e.getMessage());
        failed.add(app.name());
        failures.put(app.name(), e.getMessage());
        continue;
      }
      if (lastSynced == null || !after.equals(before(app.name(), lastSynced))) {
        sink.release(app.name(), commit, lastSynced, forced);
        released.add(app.name());
      }
    }
    try {
      promotions.arrived(lastSynced, commit);
    } catch (GitSyncException e) {
      // Not marked synced: the next sync looks at the promotion files again.
      sink.syncFailed(branch, "reading the promotion files of " + commit + " failed: " + e.getMessage());
      return new Outcome(lastSynced, false, forced, released, failed, e.getMessage(), commit, List.of(), Map.copyOf(failures));
    } catch (dev.flotilla.engine.port.StoreException e) {
      throw new IllegalStateException("recording the promotions merged at " + commit + " failed: " + e.getMessage(), e);
    }
    sink.synced(branch, commit, forced);
    LOG.info("sync {}: {} -> {}{}{}: released {}, failed {}", branch, lastSynced, commit, forced ? " (force push)" : "",
        signedBy == null ? "" : ", signed by " + signedBy, released, failed);
    return new Outcome(commit, true, forced, released, failed, null, commit, List.of(), Map.copyOf(failures), false, signedBy);
  }

  private Outcome invalid(String commit, String lastSynced, FleetValidationException e) {
    LOG.warn("sync {}: revision {} is invalid ({} problems), keeping {}", branch, commit, e.problems().size(), lastSynced);
    sink.revisionInvalid(branch, commit, e.problems());
    return new Outcome(lastSynced, false, false, List.of(), List.of(), e.getMessage(), commit,
        e.problems().stream().map(Object::toString).toList(), Map.of());
  }

  /**
   * Judges {@code commit}'s signature under the list {@link SignerListRule} chooses: the last synced
   * revision's {@code requireSignedCommits}, never the commit's own, so a revision that adds its
   * author's key to the list cannot let itself in; when there is none, the pinned list; without a
   * pin, on a first sync, the commit's own list (trust on first use, as SSH takes a host key it
   * meets first). Null when no list requires signatures.
   */
  private SignatureVerdict signature(String lastSynced, String commit) throws FleetValidationException, GitSyncException {
    Optional<SignedCommits> last = Optional.empty();
    SignerListRule.LastAccepted known;
    if (lastSynced == null) {
      known = SignerListRule.LastAccepted.NOTHING;
    } else {
      try {
        last = catalog.model(lastSynced).fleet().requireSignedCommits();
        known = last.isPresent() ? SignerListRule.LastAccepted.WITH_LIST : SignerListRule.LastAccepted.WITHOUT_LIST;
      } catch (FleetValidationException e) {
        // It validated when it was synced and its content cannot change, but validation can depend on time.
        LOG.warn("sync {}: the last synced revision {} no longer validates ({}); its requireSignedCommits cannot judge {}",
            branch, lastSynced, e.getMessage(), commit);
        known = SignerListRule.LastAccepted.UNREADABLE;
      }
    }
    Optional<SignedCommits> required = switch (SignerListRule.governing(pinned.isPresent(), known)) {
      case LAST_ACCEPTED -> last;
      case PINNED -> pinned;
      case OWN -> catalog.model(commit).fleet().requireSignedCommits();
      case NONE -> Optional.empty();
    };
    if (required.isEmpty()) return null;
    return source.checkSignature(commit, required.get());
  }

  /** What the app rendered to at the revision synced before; nothing when it no longer renders (the app counts as changed). */
  private Map<String, RenderDigest> before(String app, String revision) {
    try {
      return catalog.digests(app, revision);
    } catch (RenderException | GitSyncException | FleetValidationException e) {
      return Map.of();
    }
  }
}
