package dev.flotilla.engine;

import dev.flotilla.engine.port.AuditEntry;
import dev.flotilla.engine.port.AuditLog;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.UnreadableRolloutException;
import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Problem;
import dev.flotilla.fleet.PromotionFile;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.rollout.PromotionMerge;
import dev.flotilla.rollout.Rollout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approves the waves whose promotion files reached the followed branch (their pull requests were
 * merged): for every file under {@code promotions/} that a newly synced revision added or changed,
 * the core decides ({@link PromotionMerge#decide}) and an approval is given as {@code rollout
 * approve --wave} gives it, in the name of who brought the file to the branch. A file that approves
 * nothing is noted in the audit log ({@code promotion-ignored}); none stops the sync.
 */
public final class PromotionMerges {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionMerges.class);
  static final String IGNORED = "promotion-ignored";
  /** Larger promotion files are not read: the engine writes a few hundred bytes. */
  private static final long MAX_FILE_BYTES = 1 << 20;

  private final FleetRepoSource source;
  private final RolloutRepository repository;
  private final FleetOperations operations;
  private final AuditLog audit;
  private final Clock clock;
  private final String engineEmail;

  public PromotionMerges(FleetRepoSource source, RolloutRepository repository, FleetOperations operations, AuditLog audit, Clock clock,
      String engineEmail) {
    this.source = source;
    this.repository = repository;
    this.operations = operations;
    this.audit = audit;
    this.clock = clock;
    this.engineEmail = engineEmail;
  }

  /**
   * Looks at the promotion files of {@code commit} that are new or changed since {@code lastSynced}
   * (nothing on the first sync: no rollout exists yet to approve). Runs before the revision is marked
   * synced, so a crash in between looks at them again; approving twice is refused as "already approved".
   */
  public void arrived(String lastSynced, String commit) throws GitSyncException, StoreException {
    if (lastSynced == null) return;
    Map<String, String> now = files(source.snapshot(commit).root());
    if (now.isEmpty()) return;
    Map<String, String> before = files(source.snapshot(lastSynced).root());
    for (Map.Entry<String, String> e : now.entrySet()) {
      if (Objects.equals(before.get(e.getKey()), e.getValue())) continue;
      consider(lastSynced, commit, e.getKey(), e.getValue());
    }
  }

  private void consider(String lastSynced, String commit, String path, String text) throws GitSyncException, StoreException {
    PromotionFile file;
    try {
      file = PromotionFile.parse(path, text);
    } catch (FleetValidationException e) {
      note(Optional.empty(), "promotion " + path + " at " + commit + " is invalid, ignored: "
          + e.problems().stream().map(Problem::toString).collect(Collectors.joining("; ")));
      return;
    }
    PromotionMerge decision = PromotionMerge.decide(file, rollout(file.rollout()));
    if (decision instanceof PromotionMerge.Approve approve) {
      approve(approve, file, lastSynced, commit);
    } else if (decision instanceof PromotionMerge.AlreadyApproved already) {
      LOG.info("promotion {}: wave {} was approved already by {}", already.rolloutId(), already.wave(), already.by());
    } else if (decision instanceof PromotionMerge.Ignore ignore) {
      note(Optional.of(file), ignore.why());
    }
  }

  private void approve(PromotionMerge.Approve approve, PromotionFile file, String lastSynced, String commit)
      throws GitSyncException, StoreException {
    String actor = source.whoAdded(lastSynced, commit, file.path(), engineEmail).orElse("pull request (" + file.path() + ")");
    String comment = "merged promotion " + file.path() + " at " + commit;
    try {
      operations.command(approve.rolloutId(), "approve", new CommandRequest(actor, comment, approve.wave(), null));
      LOG.info("promotion {}: wave {} approved by {} (merged {})", approve.rolloutId(), approve.wave(), actor, file.path());
    } catch (EngineException | SchedulingException e) {
      note(Optional.of(file), "promotion " + file.path() + " approves nothing: " + e.getMessage());
    }
  }

  private Optional<Rollout> rollout(String id) throws StoreException {
    try {
      return repository.get(id).map(v -> v.rollout());
    } catch (UnreadableRolloutException e) {
      return Optional.empty();
    }
  }

  private void note(Optional<PromotionFile> file, String why) throws StoreException {
    LOG.warn("promotion: {}", why);
    audit.append(new AuditEntry(clock.instant(), RecordingReleaseSink.SYNC_ACTOR, file.map(PromotionFile::rollout),
        file.map(PromotionFile::app), IGNORED, why, Optional.empty()));
  }

  /** The promotion files of a snapshot, by path; links and oversized files are not read. */
  private static Map<String, String> files(Path root) throws GitSyncException {
    Path folder = root.resolve(PromotionFile.FOLDER);
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) return out;
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !PromotionFile.isPromotionPath(rel)) continue;
        if (Files.size(p) > MAX_FILE_BYTES) continue;
        out.put(rel, Files.readString(p, StandardCharsets.UTF_8));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new GitSyncException(root.toString(), null, GitSyncException.Reason.IO, "cannot read " + PromotionFile.FOLDER + "/: " + e.getMessage(), e);
    }
    return out;
  }
}
