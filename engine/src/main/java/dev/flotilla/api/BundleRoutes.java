package dev.flotilla.api;

import dev.flotilla.delivery.pull.AgentReport;
import dev.flotilla.delivery.pull.AgentReports;
import dev.flotilla.delivery.pull.BundleStore;
import dev.flotilla.delivery.pull.PullTarget;
import dev.flotilla.delivery.pull.TargetCache;
import dev.flotilla.delivery.pull.ReportBatch;
import dev.flotilla.delivery.pull.SiteAuth;
import dev.flotilla.delivery.pull.TargetList;
import dev.flotilla.delivery.pull.TargetWatch;
import dev.flotilla.delivery.pull.TransferSlots;
import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.port.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * What pull sites' agents call, each with its site's bearer token (a site reads only its own
 * bundles and reports only its own status):
 *
 * <pre>
 * GET  /api/v1/sites/{site}/bundles        the current target per app, with ETags; ?wait=SECONDS long-polls
 * GET  /api/v1/sites/{site}/bundles/{app}  the bundle (.tar), or 304 on If-None-Match; ?wait=SECONDS long-polls
 * POST /api/v1/sites/{site}/reports        the agent's queued reports, each taken once
 * </pre>
 *
 * Long polls hold no thread while they wait (Javalin's futures); bundle bodies are bounded by
 * {@link TransferSlots}, and a full server answers 503 with {@code Retry-After}.
 */
public final class BundleRoutes implements RouteTable {
  public static final String SITE = ApiRoutes.PREFIX + "/sites/{site}";
  public static final String TAR = "application/x-tar";
  private static final int MAX_REPORT_BODY = 1 << 20;

  /** Timing of the serving side: longest long poll, how often idle agents come back, how many may wait at once. */
  public record Settings(Duration maxWait, Duration pollHint, Duration busyRetry, int maxWaiting) {
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10), 50_000);
  }

  private final TargetCache targets;
  private final BundleStore store;
  private final AgentReports reports;
  private final SiteAuth auth;
  private final TargetWatch watch;
  private final TransferSlots slots;
  private final Executor afterWait;
  private final Settings settings;
  private final RandomGenerator random;
  private final Clock clock;

  public BundleRoutes(TargetCache targets, BundleStore store, AgentReports reports, SiteAuth auth, TargetWatch watch, TransferSlots slots,
      Executor afterWait, Settings settings, RandomGenerator random, Clock clock) {
    this.targets = targets;
    this.store = store;
    this.reports = reports;
    this.auth = auth;
    this.watch = watch;
    this.slots = slots;
    this.afterWait = afterWait;
    this.settings = settings;
    this.random = random;
    this.clock = clock;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get(SITE + "/bundles", this::list);
    routes.get(SITE + "/bundles/{app}", this::bundle);
    routes.post(SITE + "/reports", this::report);
  }

  private void list(Context ctx) throws StoreException, BadRequestException {
    String site = authorize(ctx);
    long wait = waitSeconds(ctx);
    String known = ctx.header("If-None-Match");
    // Registered (when it may wait) before reading, so a publication between the read and the wait still wakes it.
    CompletableFuture<Void> changed = wait > 0 ? watch.next(site) : null;
    TargetList now = TargetList.of(site, targets.of(site));
    if (wait > 0 && now.etag().equals(known) && watch.waitingSites() <= settings.maxWaiting()) {
      ctx.future(() -> changed.copy().completeOnTimeout(null, wait, TimeUnit.SECONDS)
          .thenRunAsync(() -> unchecked(() -> answerList(ctx, TargetList.of(site, targets.of(site)), known, true)), afterWait));
      return;
    }
    answerList(ctx, now, known, false);
  }

  private void answerList(Context ctx, TargetList list, String known, boolean waited) {
    ctx.header("ETag", list.etag());
    ctx.header("Retry-After", retryAfter(waited));
    ctx.header("Cache-Control", "no-cache");
    if (list.etag().equals(known)) {
      ctx.status(304);
      return;
    }
    ctx.json(list);
  }

  private void bundle(Context ctx) throws StoreException, BadRequestException {
    String site = authorize(ctx);
    String app = ctx.pathParam("app");
    long wait = waitSeconds(ctx);
    String known = ctx.header("If-None-Match");
    CompletableFuture<Void> changed = wait > 0 ? watch.next(site) : null;
    Optional<PullTarget> now = targets.get(site, app);
    if (wait > 0 && now.isPresent() && now.get().quotedEtag().equals(known) && watch.waitingSites() <= settings.maxWaiting()) {
      ctx.future(() -> changed.copy().completeOnTimeout(null, wait, TimeUnit.SECONDS)
          .thenRunAsync(() -> unchecked(() -> answerBundle(ctx, site, app, targets.get(site, app), known, true)), afterWait));
      return;
    }
    answerBundle(ctx, site, app, now, known, false);
  }

  private void answerBundle(Context ctx, String site, String app, Optional<PullTarget> target, String known, boolean waited)
      throws StoreException {
    ctx.header("Cache-Control", "no-cache");
    if (target.isEmpty()) {
      ctx.header("Retry-After", retryAfter(waited));
      ctx.status(404).json(new ApiError("not-found", "no bundle of app " + app + " for site " + site));
      return;
    }
    PullTarget t = target.get();
    ctx.header("ETag", t.quotedEtag());
    if (t.quotedEtag().equals(known)) {
      ctx.header("Retry-After", retryAfter(waited));
      ctx.status(304);
      return;
    }
    Optional<TransferSlots.Slot> slot = slots.tryTake();
    if (slot.isEmpty()) {
      busy(ctx, "every transfer slot is taken");
      return;
    }
    Optional<byte[]> bytes;
    try {
      bytes = store.get(site, app, t.sequence());
    } catch (StoreException | RuntimeException e) {
      slot.get().release();
      throw e;
    }
    if (bytes.isEmpty()) {
      // Published over in between (only the current and the previous bundle are kept): ask again.
      slot.get().release();
      busy(ctx, "bundle " + t.sequence() + " of " + app + " was just replaced");
      return;
    }
    ctx.header("X-Flotilla-Sequence", Long.toString(t.sequence()));
    ctx.header("Content-Length", Integer.toString(bytes.get().length));
    ctx.contentType(TAR);
    ctx.result(slot.get().body(bytes.get()));
  }

  private void busy(Context ctx, String why) {
    long base = settings.busyRetry().toSeconds();
    ctx.header("Retry-After", Long.toString(base + random.nextLong(base + 1)));
    ctx.status(503).json(new ApiError("busy", why + "; come back after Retry-After seconds"));
  }

  private void report(Context ctx) throws StoreException, BadRequestException {
    String site = authorize(ctx);
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_REPORT_BODY) throw new BadRequestException("a report batch is at most " + MAX_REPORT_BODY + " bytes");
    ReportBatch batch;
    try {
      batch = Json.mapper().readValue(body, ReportBatch.class);
    } catch (IOException | RuntimeException e) {
      throw new BadRequestException("the body must be JSON {\"queue\", \"reports\": [{\"seq\", \"app\", \"revision\", \"sequence\","
          + " \"health\", \"observedAt\", \"message\", \"holdUntil\", \"holdReason\"}], \"trust\": {\"version\", \"problem\"}}: "
          + e.getMessage(), e);
    }
    if (batch.reports().size() > ReportBatch.MAX_REPORTS) {
      throw new BadRequestException("at most " + ReportBatch.MAX_REPORTS + " reports per request, got " + batch.reports().size());
    }
    if (batch.queue().isBlank() || batch.queue().length() > 64) throw new BadRequestException("queue must be 1 to 64 characters");
    // Stamped with the engine's time: the pass compares it with when the release was sent, and a
    // site's clock may be behind. A report names a revision, so an old report cannot pass for a new one.
    Instant now = clock.instant();
    long taken = reports.take(site, batch.queue(), batch.reports().stream().sorted(Comparator.comparingLong(AgentReport::seq))
        .map(r -> r.withObservedAt(now)).toList());
    if (batch.trust() != null) reports.trust(site, batch.trust(), now);
    ctx.json(new ReportBatch.Taken(taken));
  }

  private String authorize(Context ctx) throws StoreException {
    return SiteTokenCheck.authorize(ctx, auth);
  }

  private long waitSeconds(Context ctx) throws BadRequestException {
    String value = ctx.queryParam("wait");
    if (value == null) return 0;
    try {
      long seconds = Long.parseLong(value);
      if (seconds < 0) throw new BadRequestException("wait must be 0 or more seconds, got " + value);
      return Math.min(seconds, settings.maxWait().toSeconds());
    } catch (NumberFormatException e) {
      throw new BadRequestException("wait must be a whole number of seconds, got '" + value + "'");
    }
  }

  /**
   * When the agent should come back: at once after a long poll (it waited here already) unless many
   * are waiting, then spread over the poll interval; the poll interval after a plain request.
   */
  private String retryAfter(boolean waited) {
    long hint = settings.pollHint().toSeconds();
    if (!waited) return Long.toString(hint);
    if (watch.waitingSites() > settings.maxWaiting() / 2) return Long.toString(1 + random.nextLong(Math.max(1, hint)));
    return "0";
  }

  /** Work after a wait, whose store errors go to the exception mapper through the future. */
  private interface StoreWork {
    void run() throws StoreException;
  }

  private static void unchecked(StoreWork work) {
    try {
      work.run();
    } catch (StoreException e) {
      throw new CompletionException(e);
    }
  }
}
