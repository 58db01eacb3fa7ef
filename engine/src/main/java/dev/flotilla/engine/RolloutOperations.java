package dev.flotilla.engine;

import dev.flotilla.engine.view.AuditView;
import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.SiteView;
import dev.flotilla.engine.view.SyncView;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.Site;
import dev.flotilla.rollout.AuditEvent;
import dev.flotilla.rollout.CommandResult;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutCommands;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.engine.port.Approval;
import dev.flotilla.engine.port.AuditFilter;
import dev.flotilla.engine.port.AuditRecord;
import dev.flotilla.engine.port.ApprovalStore;
import dev.flotilla.engine.port.AuditLog;
import dev.flotilla.engine.port.PromotionStore;
import dev.flotilla.engine.port.SiteReportStore;
import dev.flotilla.engine.port.RecordedSignals;
import dev.flotilla.engine.port.RolloutFilter;
import dev.flotilla.engine.port.RolloutHead;
import dev.flotilla.engine.port.StoredReport;
import dev.flotilla.engine.port.VersionedRollout;
import dev.flotilla.engine.port.ScheduledPromotion;
import dev.flotilla.engine.port.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What people do with rollouts, through the API or the CLI: look at them, and pause, resume,
 * approve, promote (now or at a time), roll back and abort. A command that does not fit the
 * rollout's state is a {@link ConflictException} (409) with the state machine's reason.
 */
public final class RolloutOperations implements FleetOperations {
  private final RolloutEngine engine;
  private final RolloutRepository repository;
  private final ApprovalStore approvals;
  private final AuditLog audit;
  private final PromotionStore promotions;
  private final PromotionScheduler scheduler;
  private final SiteReportStore reports;
  private final RevisionCatalog catalog;
  private final GateSignalsSource signals;

  private final SyncNow sync;
  private final dev.flotilla.engine.port.ReleaseStore releases;
  private final SyncStatus syncStatus;
  private final dev.flotilla.engine.port.DriftStore drift;

  /** Syncs the fleet repo now, one sync at a time; returns the revision followed afterwards. */
  @FunctionalInterface
  public interface SyncNow {
    String run() throws StoreException, GitSyncException, FleetValidationException, SchedulingException;
  }

  /** The revision followed, how the last sync went and up to {@code limit} recent attempts, as the store records them. */
  @FunctionalInterface
  public interface SyncStatus {
    SyncView read(int limit) throws StoreException;
  }

  public RolloutOperations(RolloutEngine engine, ApprovalStore approvals, AuditLog audit, PromotionStore promotions,
      PromotionScheduler scheduler, SiteReportStore reports, RevisionCatalog catalog, GateSignalsSource signals, SyncNow sync,
      SyncStatus syncStatus, dev.flotilla.engine.port.ReleaseStore releases, dev.flotilla.engine.port.DriftStore drift) {
    this.drift = drift;
    this.releases = releases;
    this.sync = sync;
    this.syncStatus = syncStatus;
    this.engine = engine;
    this.repository = engine.repository();
    this.approvals = approvals;
    this.audit = audit;
    this.promotions = promotions;
    this.scheduler = scheduler;
    this.reports = reports;
    this.catalog = catalog;
    this.signals = signals;
  }

  @Override
  public List<RolloutView> list(int offset, int limit) throws StoreException, BadRequestException {
    if (offset < 0) throw new BadRequestException("offset must be 0 or more, got " + offset);
    if (limit < 1 || limit > MAX_PAGE) throw new BadRequestException("limit must be 1.." + MAX_PAGE + ", got " + limit);
    Instant now = engine.clock().instant();
    List<VersionedRollout> rollouts = new ArrayList<>();
    for (RolloutHead h : repository.store().heads(RolloutFilter.all(), offset, limit)) repository.read(h).ifPresent(rollouts::add);
    Map<String, String> waits = repository.store().waitingOn(rollouts.stream().map(VersionedRollout::id).toList());
    Map<String, RecordedSignals> gates = signals.recorded();
    List<RolloutView> views = new ArrayList<>();
    for (VersionedRollout v : rollouts) views.add(RolloutViews.of(v.rollout(), waitingOn(v.rollout(), waits, gates, now), now, false));
    views.sort(Comparator.comparing(RolloutView::createdAt).reversed().thenComparing(RolloutView::id));
    return views;
  }

  @Override
  public RolloutView get(String id) throws EngineException, StoreException {
    Rollout r = load(id).rollout();
    Instant now = engine.clock().instant();
    Map<String, dev.flotilla.drift.SiteDrift> drifts = new java.util.HashMap<>();
    for (var d : drift.of(r.app())) drifts.put(d.site(), d);
    return RolloutViews.of(r, waitingOn(r, repository.store().waitingOn(List.of(id)), signals.recorded(), now), now, true, drifts);
  }

  /** What the rollout waits on, as the last pass recorded it (with the age of its gate signals), or as its state says. */
  private String waitingOn(Rollout r, Map<String, String> recorded, Map<String, RecordedSignals> gateSignals, Instant now) {
    if (!r.acting()) {
      return switch (r.state()) {
        case HELD -> "held: " + r.reason() + "; a person must approve";
        case QUEUED -> "queued behind the running rollout of " + r.app();
        case HALTED -> "halted: " + r.reason();
        case COMPLETED -> r.retiredAt() == null ? null : "retired: a newer release of " + r.app() + " completed";
        case RUNNING, PAUSED, ROLLED_BACK, ABORTED, SUPERSEDED -> r.state().name().toLowerCase();
      };
    }
    String wait = recorded.get(r.id());
    String gates = GateSignalsSource.describe(gateSignals.get(r.id()), now);
    if (wait == null || wait.isEmpty()) return gates == null ? null : "gate signals: " + gates;
    return gates == null ? wait : wait + " (" + gates + ")";
  }

  @Override
  public RolloutView command(String id, String command, CommandRequest request)
      throws EngineException, StoreException, SchedulingException {
    String actor = request.actor() == null || request.actor().isBlank() ? "local" : request.actor();
    Instant now = engine.clock().instant();
    checkFields(command, request, now);
    if (command.equals("promote") && request.at() != null && request.at().isAfter(now)) {
      return schedulePromotion(id, request.at(), actor, now);
    }
    if (command.equals("promote") && request.at() != null) {
      // An 'at' of the last minute promotes at once; the audit says so, as nobody asked for "now".
      String note = "at " + request.at() + " had passed (now " + now + "): promoted at once";
      String comment = request.comment() == null || request.comment().isBlank() ? note : request.comment() + "; " + note;
      request = new CommandRequest(request.actor(), comment, request.wave(), request.at());
    }
    execute(id, command, request, actor, now, null);
    return get(id);
  }

  /** The latest time a promotion may be scheduled for, from now: later than that is surely a mistake. */
  static final java.time.Duration LONGEST_SCHEDULE = java.time.Duration.ofDays(365);
  /** How far in the past {@code at} may be (a clock a little behind, a slow request): such a promotion runs now. */
  static final java.time.Duration PAST_TOLERANCE = java.time.Duration.ofMinutes(1);

  /** Fields a command does not take, and an {@code at} outside [now − 1 minute, now + 1 year], are refused by name. */
  private static void checkFields(String command, CommandRequest request, Instant now) throws BadRequestException {
    if (request.at() != null) {
      if (!command.equals("promote")) throw new BadRequestException("field 'at' is only for promote, not " + command);
      if (request.at().isBefore(now.minus(PAST_TOLERANCE)) || request.at().isAfter(now.plus(LONGEST_SCHEDULE))) {
        throw new BadRequestException("field 'at' must be between " + now.minus(PAST_TOLERANCE) + " and "
            + now.plus(LONGEST_SCHEDULE) + " (now − 1 minute .. now + 1 year), got " + request.at());
      }
    }
    if (request.wave() != null && !command.equals("approve") && !command.equals("promote")) {
      throw new BadRequestException("field 'wave' is only for approve and promote, not " + command);
    }
  }

  /**
   * Applies a command to the rollout as it is now, retrying when the engine stepped it meanwhile.
   * Approve and promote act on a wave: the one the request names, else the one current when the
   * command arrived; if the rollout moved past it meanwhile, the command is refused rather than
   * applied to a wave nobody asked about. A scheduled promotion is marked done in the same
   * transaction, so it runs exactly once.
   */
  private void execute(String id, String command, CommandRequest request, String actor, Instant now, String promotionId)
      throws EngineException, StoreException {
    Rollout first = load(id).rollout();
    if (command.equals("approve") && first.state() == RolloutState.HELD && (request.comment() == null || request.comment().isBlank())) {
      // A held release replaces history someone rewrote (a force push): whoever lets it go says why.
      throw new BadRequestException("approving held rollout " + id + " (" + first.reason() + ") needs a comment: field 'comment' must say why");
    }
    String wave = request.wave() != null ? request.wave()
        : first.state() == RolloutState.HELD ? null : first.plan().wave(first.currentWave()).name();
    for (int attempt = 0; attempt < 3; attempt++) {
      VersionedRollout loaded = load(id);
      Rollout r = loaded.rollout();
      if (command.equals("promote") && wave != null && !wave.equals(r.plan().wave(r.currentWave()).name())) {
        throw new ConflictException("rollout " + id + " is no longer at wave " + wave + " (now at "
            + r.plan().wave(r.currentWave()).name() + "): nothing promoted");
      }
      CommandResult result = apply(r, command, request.wave() == null && command.equals("approve")
          ? new CommandRequest(request.actor(), request.comment(), wave, request.at()) : request, actor, now);
      if (result instanceof CommandResult.Rejected rejected) throw new ConflictException(rejected.reason());
      CommandResult.Accepted accepted = (CommandResult.Accepted) result;
      try {
        repository.transactions().inTransaction("command " + command + " on " + id, c -> {
          if (promotionId != null && !promotions.markDone(c, promotionId, now)) return null; // it ran already
          // A lost race throws CommandRaced, which rolls back markDone too: this attempt did nothing.
          if (!repository.write(c, loaded, accepted.next(), accepted.events(), accepted.actions(), now)) throw new CommandRaced();
          if (command.equals("approve") && wave != null) {
            approvals.add(c, new Approval(id, wave, actor, now, Optional.ofNullable(request.comment())));
          }
          return null;
        });
        return;
      } catch (CommandRaced raced) {
        // the engine stepped the rollout meanwhile: read it again and retry
      }
    }
    throw new ConflictException("rollout " + id + " kept changing while " + command + " was applied; try again");
  }

  /** Rolls a command's transaction back when its rollout changed since it was read. */
  private static final class CommandRaced extends RuntimeException {
    CommandRaced() {
      super(null, null, false, false);
    }
  }

  private static CommandResult apply(Rollout r, String command, CommandRequest req, String actor, Instant now)
      throws BadRequestException {
    return switch (command) {
      case "pause" -> RolloutCommands.pause(r, actor, req.comment(), now);
      case "resume" -> RolloutCommands.resume(r, actor, req.comment(), now);
      case "approve" -> RolloutCommands.approve(r, req.wave(), actor, req.comment(), now);
      case "promote" -> RolloutCommands.promoteNow(r, actor, req.comment(), now);
      case "rollback" -> RolloutCommands.rollback(r, actor, req.comment(), now);
      case "abort" -> RolloutCommands.abort(r, actor, req.comment(), now);
      default -> throw new BadRequestException("unknown command '" + command + "': expected pause, resume, approve, promote, rollback or abort");
    };
  }

  /** Records the promotion and its audit entry in one transaction, then asks the scheduler to run it. */
  private RolloutView schedulePromotion(String id, Instant at, String actor, Instant now)
      throws EngineException, StoreException, SchedulingException {
    Rollout r = load(id).rollout();
    if (r.state().ended()) throw new ConflictException("rollout " + id + " is " + r.state() + ": nothing to promote");
    Optional<Instant> firstRun = scheduler.firstRun(at);
    if (firstRun.isEmpty() || firstRun.get().isAfter(now.plus(LONGEST_SCHEDULE))) {
      // Refused before anything is stored: a promotion that cannot fire would stop every later start.
      throw new BadRequestException("field 'at': a promotion at " + at + " would never run: a freeze holds it "
          + firstRun.map(f -> "until " + f + ", more than a year from now").orElse("for good")
          + "; pick a time outside the freeze, or end the freeze in the fleet repo");
    }
    String promotionId = "promote-" + UUID.randomUUID();
    String wave = r.plan().wave(r.currentWave()).name();
    repository.transactions().inTransaction("schedule promotion of " + id, c -> {
      promotions.insert(c, new ScheduledPromotion(promotionId, id, at, actor, now, Optional.empty(), Optional.of(wave)));
      repository.append(c, r.app(), List.of(new AuditEvent(now, actor, id, "promotion-scheduled",
          "promotion past the gates of wave " + wave + " scheduled at " + at)));
      return null;
    });
    try {
      scheduler.schedule(promotionId, at);
    } catch (SchedulingException e) {
      // The freezes changed between the check and now: the promotion is recorded as skipped, never left pending.
      repository.transactions().inTransaction("skip unschedulable promotion " + promotionId, c -> {
        if (promotions.markDone(c, promotionId, now)) {
          audit.append(c, dev.flotilla.engine.port.AuditEntry.forRollout(now, actor, id, r.app(), "promotion-skipped",
              "scheduled promotion skipped: it cannot be scheduled: " + e.getMessage()));
        }
        return null;
      });
      throw new BadRequestException("field 'at': a promotion at " + at + " cannot be scheduled: " + e.getMessage());
    }
    return get(id);
  }

  /** Runs a scheduled promotion (from its Quartz job); a promotion runs once, whoever fires it. */
  public void runScheduledPromotion(String promotionId) throws EngineException, StoreException {
    Optional<ScheduledPromotion> found = promotions.get(promotionId);
    if (found.isEmpty() || found.get().doneAt().isPresent()) return;
    ScheduledPromotion p = found.get();
    Instant now = engine.clock().instant();
    try {
      execute(p.rolloutId(), "promote", new CommandRequest(p.actor(), "scheduled promotion", p.wave().orElse(null), null),
          p.actor(), now, promotionId);
    } catch (ConflictException e) {
      repository.transactions().inTransaction("skip scheduled promotion " + promotionId, c -> {
        if (promotions.markDone(c, promotionId, now)) {
          audit.append(c, dev.flotilla.engine.port.AuditEntry.forRollout(now, p.actor(), p.rolloutId(), "", "promotion-skipped",
              "scheduled promotion skipped: " + e.getMessage()));
        }
        return null;
      });
    }
  }

  /** Promotions recorded but not done, for the engine to schedule again after a restart. */
  public List<ScheduledPromotion> pendingPromotions() throws StoreException {
    return promotions.pending();
  }

  @Override
  public List<SiteView> sites() throws StoreException, GitSyncException, FleetValidationException {
    Optional<String> fleetRevision = engine.fleetRevision();
    if (fleetRevision.isEmpty()) return List.of();
    FleetModel model = catalog.model(fleetRevision.get());
    Map<String, Map<String, SiteView.AppStatus>> bySite = new TreeMap<>();
    Map<String, dev.flotilla.drift.SiteDrift> drifts = new java.util.HashMap<>();
    for (var d : drift.all()) drifts.put(d.site() + "\n" + d.app(), d);
    for (StoredReport report : reports.all()) {
      if (report.revision() == null && report.unreachableAt() == null) continue;
      var d = drifts.get(report.site() + "\n" + report.app());
      bySite.computeIfAbsent(report.site(), s -> new TreeMap<>()).put(report.app(),
          new SiteView.AppStatus(report.revision(), report.health(), report.unreachableAt() == null, report.observedAt(),
              d == null ? null : dev.flotilla.engine.view.DriftView.of(d)));
    }
    List<SiteView> out = new ArrayList<>();
    for (Site s : model.sites()) {
      out.add(new SiteView(s.name(), s.tier(), s.delivery().word(), bySite.getOrDefault(s.name(), Map.of())));
    }
    return out;
  }

  @Override
  public List<AuditView> audit(String rolloutId, int limit, long afterSeq) throws StoreException, BadRequestException {
    if (limit < 1 || limit > MAX_AUDIT_PAGE) throw new BadRequestException("limit must be 1.." + MAX_AUDIT_PAGE + ", got " + limit);
    if (afterSeq < 0) throw new BadRequestException("after must be 0 or more, got " + afterSeq);
    AuditFilter filter = rolloutId == null ? AuditFilter.all() : AuditFilter.all().withRolloutId(rolloutId);
    List<AuditView> out = new ArrayList<>();
    for (AuditRecord r : audit.list(filter, limit, afterSeq)) {
      out.add(new AuditView(r.seq(), r.entry().at(), r.entry().actor(), r.entry().rolloutId().orElse(null),
          r.entry().app().orElse(null), r.entry().kind(), r.entry().message()));
    }
    return out;
  }

  @Override
  public String syncNow() throws StoreException, GitSyncException, FleetValidationException, SchedulingException {
    return sync.run();
  }

  @Override
  public SyncView syncStatus(int limit) throws StoreException, BadRequestException {
    if (limit < 1 || limit > MAX_SYNC_ATTEMPTS) throw new BadRequestException("limit must be 1.." + MAX_SYNC_ATTEMPTS + ", got " + limit);
    return syncStatus.read(limit);
  }

  private VersionedRollout load(String id) throws NotFoundException, ConflictException, StoreException {
    try {
      return repository.get(id).orElseThrow(() -> new NotFoundException("no rollout with id '" + id + "'"));
    } catch (dev.flotilla.engine.port.UnreadableRolloutException e) {
      repository.quarantine().add(dev.flotilla.engine.port.Quarantined.ROLLOUT, id, Optional.empty(), e.getMessage());
      throw new ConflictException("rollout " + id + " is quarantined: " + e.getMessage());
    }
  }

  @Override
  public List<dev.flotilla.engine.view.ReleaseView> releases(String app) throws StoreException, BadRequestException {
    if (app == null || app.isBlank()) throw new BadRequestException("query parameter app is required: the releases of which app?");
    List<dev.flotilla.engine.view.ReleaseView> out = new ArrayList<>();
    for (var r : releases.forApp(app)) {
      out.add(new dev.flotilla.engine.view.ReleaseView(r.app(), r.revision(), r.firstSeenAt(), r.state(), r.error().orElse(null)));
    }
    return out;
  }

  @Override
  public dev.flotilla.engine.view.HealthView health() throws StoreException {
    return dev.flotilla.engine.view.HealthView.of(repository.quarantine().items());
  }

  @Override
  public List<dev.flotilla.engine.port.Quarantined> quarantined() throws StoreException {
    return repository.quarantine().items();
  }
}
