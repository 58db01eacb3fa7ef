package dev.flotilla.engine;

import dev.flotilla.api.AuditView;
import dev.flotilla.api.BadRequestException;
import dev.flotilla.api.ConflictException;
import dev.flotilla.api.FleetOperations;
import dev.flotilla.api.NotFoundException;
import dev.flotilla.api.CommandRequest;
import dev.flotilla.api.RolloutView;
import dev.flotilla.api.SiteView;
import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.Site;
import dev.flotilla.rollout.AuditEvent;
import dev.flotilla.rollout.CommandResult;
import dev.flotilla.rollout.FleetTime;
import dev.flotilla.rollout.GateSignals;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutCommands;
import dev.flotilla.rollout.RolloutMachine;
import dev.flotilla.rollout.Wait;
import dev.flotilla.store.Approval;
import dev.flotilla.store.AuditFilter;
import dev.flotilla.store.AuditRecord;
import dev.flotilla.store.JdbcApprovals;
import dev.flotilla.store.JdbcAuditLog;
import dev.flotilla.store.JdbcScheduledPromotions;
import dev.flotilla.store.RolloutFilter;
import dev.flotilla.store.ScheduledPromotion;
import dev.flotilla.store.StoreException;
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
  private final JdbcApprovals approvals;
  private final JdbcAuditLog audit;
  private final JdbcScheduledPromotions promotions;
  private final PromotionScheduler scheduler;
  private final Delivery delivery;
  private final RevisionCatalog catalog;
  private final RolloutMachine machine = new RolloutMachine();

  private final java.util.concurrent.Callable<String> sync;
  private final java.util.concurrent.Callable<dev.flotilla.api.SyncView> syncStatus;

  public RolloutOperations(RolloutEngine engine, JdbcApprovals approvals, JdbcAuditLog audit, JdbcScheduledPromotions promotions,
      PromotionScheduler scheduler, Delivery delivery, RevisionCatalog catalog, java.util.concurrent.Callable<String> sync,
      java.util.concurrent.Callable<dev.flotilla.api.SyncView> syncStatus) {
    this.sync = sync;
    this.syncStatus = syncStatus;
    this.engine = engine;
    this.repository = engine.repository();
    this.approvals = approvals;
    this.audit = audit;
    this.promotions = promotions;
    this.scheduler = scheduler;
    this.delivery = delivery;
    this.catalog = catalog;
  }

  @Override
  public List<RolloutView> list() throws Exception {
    Instant now = engine.clock().instant();
    List<RolloutView> views = new ArrayList<>();
    for (RolloutRepository.Loaded l : repository.list(RolloutFilter.all())) {
      views.add(RolloutViews.of(l.rollout(), waitingOn(l.rollout(), now), now, false));
    }
    views.sort(Comparator.comparing(RolloutView::createdAt).reversed().thenComparing(RolloutView::id));
    return views;
  }

  @Override
  public RolloutView get(String id) throws Exception {
    Rollout r = load(id).rollout();
    Instant now = engine.clock().instant();
    return RolloutViews.of(r, waitingOn(r, now), now, true);
  }

  /** What the rollout waits on now: a dry step whose result is only read. */
  private Wait waitingOn(Rollout r, Instant now) throws Exception {
    if (r.state().ended() && r.state() != dev.flotilla.rollout.RolloutState.COMPLETED) return new Wait.Stopped(r.state().name().toLowerCase());
    String fleetRevision = engine.fleetRevision();
    FleetTime time = fleetRevision == null ? FleetTime.ALWAYS : FleetTime.of(catalog.model(fleetRevision).fleet());
    return machine.step(r, Map.of(), GateSignals.NONE, time, now).waitingOn();
  }

  @Override
  public RolloutView command(String id, String command, CommandRequest request) throws Exception {
    String actor = request.actor() == null || request.actor().isBlank() ? "anonymous" : request.actor();
    Instant now = engine.clock().instant();
    if (command.equals("promote") && request.at() != null && request.at().isAfter(now)) {
      return schedulePromotion(id, request.at(), actor, now);
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      RolloutRepository.Loaded loaded = load(id);
      CommandResult result = apply(loaded.rollout(), command, request, actor, now);
      if (result instanceof CommandResult.Rejected rejected) throw new ConflictException(rejected.reason());
      CommandResult.Accepted accepted = (CommandResult.Accepted) result;
      boolean written = repository.transactions().inTransaction("command " + command + " on " + id, c -> {
        if (!repository.write(c, loaded, accepted.next(), accepted.events(), now)) return false;
        repository.insertAll(c, RolloutRepository.started(accepted.actions()), now);
        if (command.equals("approve")) {
          String wave = request.wave() != null ? request.wave() : loaded.rollout().plan().wave(loaded.rollout().currentWave()).name();
          approvals.add(c, new Approval(id, wave, actor, now, Optional.ofNullable(request.comment())));
        }
        return true;
      });
      if (!written) continue; // the engine stepped it meanwhile: decide again on the newer snapshot
      return get(id);
    }
    throw new ConflictException("rollout " + id + " kept changing while " + command + " was applied; try again");
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

  private RolloutView schedulePromotion(String id, Instant at, String actor, Instant now) throws Exception {
    Rollout r = load(id).rollout();
    if (r.state().ended()) throw new ConflictException("rollout " + id + " is " + r.state() + ": nothing to promote");
    String promotionId = "promote-" + UUID.randomUUID();
    promotions.insert(new ScheduledPromotion(promotionId, id, at, actor, now, Optional.empty()));
    repository.transactions().inTransaction("audit scheduled promotion", c -> {
      repository.append(c, r.app(), List.of(new AuditEvent(now, actor, id, "promotion-scheduled",
          "promotion past the current gate of wave " + r.plan().wave(r.currentWave()).name() + " scheduled at " + at)));
      return null;
    });
    scheduler.schedule(promotionId, at);
    return get(id);
  }

  /** Runs a scheduled promotion (from its Quartz job); a promotion runs once, whoever fires it. */
  public void runScheduledPromotion(String promotionId) throws Exception {
    Optional<ScheduledPromotion> promotion = promotions.get(promotionId);
    if (promotion.isEmpty() || promotion.get().doneAt().isPresent()) return;
    Instant now = engine.clock().instant();
    if (!promotions.markDone(promotionId, now)) return;
    try {
      command(promotion.get().rolloutId(), "promote", new CommandRequest(promotion.get().actor(), "scheduled promotion", null, null));
    } catch (ConflictException e) {
      repository.transactions().inTransaction("audit scheduled promotion", c -> {
        audit.append(c, dev.flotilla.store.AuditEntry.forRollout(now, promotion.get().actor(), promotion.get().rolloutId(),
            "", "promotion-skipped", "scheduled promotion skipped: " + e.getMessage()));
        return null;
      });
    }
  }

  @Override
  public List<SiteView> sites() throws Exception {
    String fleetRevision = engine.fleetRevision();
    if (fleetRevision == null) return List.of();
    FleetModel model = catalog.model(fleetRevision);
    Map<String, Map<String, SiteView.AppStatus>> bySite = new TreeMap<>();
    for (var app : model.apps()) {
      for (SiteReport report : delivery.statuses(app.name())) {
        bySite.computeIfAbsent(report.site(), s -> new TreeMap<>()).put(app.name(),
            new SiteView.AppStatus(report.revision(), report.health().name(), report.online(), report.observedAt()));
      }
    }
    List<SiteView> out = new ArrayList<>();
    for (Site s : model.sites()) {
      out.add(new SiteView(s.name(), s.tier(), s.delivery().word(), bySite.getOrDefault(s.name(), Map.of())));
    }
    return out;
  }

  @Override
  public List<AuditView> audit(String rolloutId, int limit, long afterSeq) throws StoreException {
    AuditFilter filter = rolloutId == null ? AuditFilter.all() : AuditFilter.all().withRolloutId(rolloutId);
    List<AuditView> out = new ArrayList<>();
    for (AuditRecord r : audit.list(filter, limit, afterSeq)) {
      out.add(new AuditView(r.seq(), r.entry().at(), r.entry().actor(), r.entry().rolloutId().orElse(null),
          r.entry().app().orElse(null), r.entry().kind(), r.entry().message()));
    }
    return out;
  }

  @Override
  public String syncNow() throws Exception {
    return sync.call();
  }

  @Override
  public dev.flotilla.api.SyncView syncStatus() throws Exception {
    return syncStatus.call();
  }

  private RolloutRepository.Loaded load(String id) throws Exception {
    return repository.get(id).orElseThrow(() -> new NotFoundException("no rollout with id '" + id + "'"));
  }
}
