package dev.flotilla.agent;

import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.BundleVerifier;
import dev.flotilla.bundle.Installed;
import dev.flotilla.bundle.InstalledState;
import dev.flotilla.bundle.RejectReason;
import dev.flotilla.bundle.SecretSealer;
import dev.flotilla.bundle.TrustStore;
import dev.flotilla.bundle.TrustUpdate;
import dev.flotilla.bundle.Verification;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.pull.AgentReport;
import dev.flotilla.delivery.pull.SiteTrust;
import dev.flotilla.delivery.pull.TargetList;
import dev.flotilla.delivery.push.ApplyException;
import dev.flotilla.delivery.push.Pause;
import dev.flotilla.health.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one pull site: asks the engine for the site's current targets (one request, however
 * many releases it missed), fetches each bundle that changed, verifies it with {@link
 * BundleVerifier} before touching the cluster, installs it atomically, applies it with push
 * delivery's code and reports through its durable queue. An apply that fails is reported failed and
 * the last good bundle is applied again; a cluster that drifts is healed from the last good bundle,
 * with or without the engine. Trust updates the engine serves are taken through {@link
 * TrustUpdates} (checked against the roots the agent holds) before the targets are read, and the
 * trust version goes with every report batch. While the engine is unreachable it backs off with
 * full jitter. One thread; {@link #cycle} is one round, {@link #run} loops.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentSettings settings;
  private final SiteCluster cluster;
  private final Clock clock;
  private final RandomGenerator random;
  private final Pause pause;
  private final EngineClient client;
  private final TrustStore trust;
  private final InstalledState installed;
  private final InstalledBundles bundles;
  private final ReportQueue queue;
  private final TrustUpdates trustUpdates;
  /** The trust state the engine last took with a report batch (null: not yet told since start). */
  private SiteTrust trustTold;
  private String listEtag;
  private TargetList targets;
  /** The ETag of the bundle each app last had verified (installed, already installed, or rejected): not fetched again. */
  private final Map<String, String> settled = new HashMap<>();
  /** Apps whose installed bundle failed to apply: their FAILED report stands until a newer bundle comes. */
  private final Map<String, Long> failed = new HashMap<>();
  private final Map<String, Said> lastSaid = new HashMap<>();

  private record Said(String revision, long sequence, Health health, String message, Instant holdUntil) {}

  private Agent(AgentSettings settings, SiteCluster cluster, Clock clock, RandomGenerator random, Pause pause, ReportQueue queue)
      throws AgentException {
    this.settings = settings;
    this.cluster = cluster;
    this.clock = clock;
    this.random = random;
    this.pause = pause;
    this.client = new EngineClient(settings.engine(), settings.site(), settings.token(), settings.transfer());
    this.trust = new TrustStore(trustFile(settings.stateDir()));
    this.installed = new InstalledState(settings.stateDir().resolve("installed.json"));
    this.bundles = new InstalledBundles(settings.stateDir());
    this.queue = queue;
    this.trustUpdates = new TrustUpdates(settings.site(), client, trust);
  }

  /** The agent's own trust store, in its state folder: updated atomically, one version at a time. */
  public static Path trustFile(Path stateDir) {
    return stateDir.resolve("trust.json");
  }

  /**
   * Opens the agent's state folder, making it on first start. Fails closed: a folder that has a
   * report queue but lost its {@code installed.json} (which would let a replayed old bundle in), or
   * an unreadable trust store, stops the agent.
   */
  public static Agent open(AgentSettings settings, SiteCluster cluster, Clock clock, RandomGenerator random, Pause pause)
      throws AgentException {
    Path state = settings.stateDir();
    try {
      Files.createDirectories(state);
      InstalledState installed = new InstalledState(state.resolve("installed.json"));
      if (!Files.exists(state.resolve("installed.json"))) {
        if (Files.exists(state.resolve(ReportQueue.MARK))) {
          throw new AgentException(state.resolve("installed.json") + " is missing from a used state folder: refusing to start"
              + " without knowing what is installed (restore it, or start over with an empty folder)");
        }
        installed.create();
      }
      installed.get("-"); // reads (and checks) the whole file
      openTrust(settings);
    } catch (IOException | BundleException e) {
      throw new AgentException("cannot open the agent's state in " + state + ": " + e.getMessage(), e);
    }
    return new Agent(settings, cluster, clock, random, pause, ReportQueue.open(state));
  }

  /**
   * The trust store in the state folder: on first start a copy of {@code --trust} (checked against
   * its own roots); later, {@code --trust} is offered as an update when it is newer (a version
   * brought on removable media), and accepted only as the next version signed by the current roots.
   */
  private static void openTrust(AgentSettings settings) throws IOException, BundleException {
    TrustStore store = new TrustStore(trustFile(settings.stateDir()));
    TrustStore given = new TrustStore(settings.trustFile());
    if (!Files.exists(store.file())) {
      store.install(given.read());
      LOG.info("agent {}: trust version {} installed from {}", settings.site(), store.load().version(), given.file());
      return;
    }
    int current = store.load().version();
    if (!Files.exists(given.file()) || Files.isSameFile(given.file(), store.file())) return;
    int offered;
    try {
      offered = given.load().version();
    } catch (BundleException e) {
      LOG.warn("agent {}: {} is ignored, keeping trust version {}: {}", settings.site(), given.file(), current, e.getMessage());
      return;
    }
    if (offered <= current) return;
    TrustUpdate u = store.update(given.read());
    if (u instanceof TrustUpdate.Rejected r) {
      LOG.warn("agent {}: {} (version {}) rejected, keeping trust version {}: {}", settings.site(), given.file(), offered, current, r.message());
    } else {
      LOG.info("agent {}: trust version {} accepted from {}", settings.site(), offered, given.file());
    }
  }

  /** Loops until {@code stop} is set: a cycle, then the wait the engine asked for, or a backoff while it is unreachable. */
  public void run(AtomicBoolean stop) throws AgentException, InterruptedException {
    int failures = 0;
    while (!stop.get()) {
      Duration next;
      try {
        next = cycle(settings.waitSeconds());
        failures = 0;
      } catch (EngineUnreachable e) {
        failures++;
        next = settings.backoff().after(failures, random);
        LOG.info("agent {}: engine unreachable ({} in a row), next try in {} ms: {}", settings.site(), failures, next.toMillis(), e.getMessage());
        heal(); // the site keeps itself right without the engine
      }
      if (!next.isZero()) pause.pause(next);
    }
  }

  /**
   * One round: replays queued reports, asks for the targets (long-polling up to {@code waitSeconds}),
   * brings every changed app up to its target, checks health and drift, reports. Returns how long
   * to wait before the next round, as the engine asked.
   */
  public Duration cycle(long waitSeconds) throws EngineUnreachable, AgentException, InterruptedException {
    flush();
    // Before the targets: a bundle signed by a key from a rotation must find that key trusted.
    if (trustUpdates.refresh(false)) flush();
    Duration next = settings.poll();
    EngineClient.Answer<TargetList> answer = client.targets(listEtag, targets == null ? 0 : waitSeconds);
    if (answer instanceof EngineClient.Busy<TargetList> b) return b.retryAfter();
    if (answer instanceof EngineClient.Changed<TargetList> c) {
      targets = c.body();
      listEtag = c.etag();
      next = c.retryAfter().orElse(next);
    } else if (answer instanceof EngineClient.NotModified<TargetList> n) {
      next = n.retryAfter().orElse(next);
    }
    Optional<Hold> hold = hold();
    for (TargetList.Entry e : targets.bundles()) {
      if (e.etag().equals(settled.get(e.app()))) continue;
      if (hold.isPresent()) {
        held(e, hold.get());
        continue;
      }
      Optional<Duration> busy = update(e);
      if (busy.isPresent()) {
        next = busy.get();
        break;
      }
    }
    heal();
    flush();
    return next;
  }

  private Optional<Hold> hold() throws AgentException {
    Instant now = clock.instant();
    return Hold.read(settings.stateDir()).filter(h -> h.inForce(now));
  }

  private void held(TargetList.Entry e, Hold hold) throws AgentException {
    Optional<InstalledBundles.Good> good = bundles.good(e.app());
    Health health = lastSaid.containsKey(e.app()) ? lastSaid.get(e.app()).health() : Health.UNKNOWN;
    say(e.app(), good.map(InstalledBundles.Good::revision).orElse(null), good.map(InstalledBundles.Good::sequence).orElse(0L), health,
        "update to sequence " + e.sequence() + " (" + e.revision() + ") held");
  }

  /** Fetches, verifies and (if accepted) installs and applies one app's target; a busy engine's wait when it said so. */
  private Optional<Duration> update(TargetList.Entry e) throws EngineUnreachable, AgentException, InterruptedException {
    EngineClient.Answer<byte[]> answer = client.bundle(e.app());
    if (answer instanceof EngineClient.Busy<byte[]> b) return Optional.of(b.retryAfter());
    if (!(answer instanceof EngineClient.Changed<byte[]> c)) return Optional.empty();
    String etag = Objects.requireNonNullElse(c.etag(), e.etag());
    Verification v = verify(e.app(), c.body());
    if (v instanceof Verification.Rejected r && r.reason() == RejectReason.UNKNOWN_KEY && trustUpdates.refresh(true)) {
      // signed by a key of a trust version the engine serves but this site had not taken yet
      v = verify(e.app(), c.body());
    }
    if (v instanceof Verification.AlreadyInstalled) {
      settled.put(e.app(), etag);
    } else if (v instanceof Verification.Rejected r) {
      rejected(e, etag, r);
    } else if (v instanceof Verification.Accepted a) {
      accepted(e.app(), etag, a);
    }
    return Optional.empty();
  }

  private Verification verify(String app, byte[] tar) throws AgentException {
    Path download = settings.stateDir().resolve("downloads").resolve(app + ".tar");
    try {
      Files.createDirectories(download.getParent());
      Files.write(download, tar);
      Installed now = installed.get(app);
      return new BundleVerifier(trust.load(), settings.limits()).verify(download, settings.site(), now, clock.instant());
    } catch (IOException | BundleException e) {
      throw new AgentException("cannot verify the bundle of " + app + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(download);
      } catch (IOException ignored) {
        // a leftover download is overwritten next time
      }
    }
  }

  private void rejected(TargetList.Entry e, String etag, Verification.Rejected r) throws AgentException {
    settled.put(e.app(), etag);
    String what = r.reason().isAttack() ? "ATTACK? " : "";
    LOG.warn("agent {}: {}bundle of {} (sequence {}) rejected, nothing applied: {}", settings.site(), what, e.app(), e.sequence(), r.message());
    Optional<InstalledBundles.Good> good = bundles.good(e.app());
    Health health = lastSaid.containsKey(e.app()) ? lastSaid.get(e.app()).health() : Health.UNKNOWN;
    say(e.app(), good.map(InstalledBundles.Good::revision).orElse(null), good.map(InstalledBundles.Good::sequence).orElse(0L), health,
        what + "bundle sequence " + e.sequence() + " rejected, nothing applied: " + r.message());
  }

  private void accepted(String app, String etag, Verification.Accepted a) throws AgentException {
    long seq = a.statement().sequence();
    String revision = a.statement().revision();
    bundles.install(app, seq, a.manifests());
    try {
      installed.record(a.statement(), a.statementSha256());
    } catch (BundleException e) {
      throw new AgentException("cannot record bundle " + seq + " of " + app + " as installed: " + e.getMessage(), e);
    }
    settled.put(app, etag);
    failed.remove(app);
    try {
      cluster.apply(app, objects(a.manifests()));
      bundles.markGood(app, new InstalledBundles.Good(seq, revision));
      LOG.info("agent {}: applied {} sequence {} ({})", settings.site(), app, seq, revision);
      say(app, revision, seq, health(app), "applied sequence " + seq);
    } catch (ApplyException | AgentException e) {
      failed.put(app, seq);
      String back = goBack(app, seq);
      LOG.warn("agent {}: apply of {} sequence {} failed: {}; {}", settings.site(), app, seq, e.getMessage(), back);
      say(app, revision, seq, Health.FAILED, "apply of sequence " + seq + " failed: " + e.getMessage() + "; " + back);
    }
  }

  /** Applies the last good bundle again after {@code failedSeq} failed part way; says what it did. */
  private String goBack(String app, long failedSeq) throws AgentException {
    Optional<InstalledBundles.Good> good = bundles.good(app);
    if (good.isEmpty() || good.get().sequence() == failedSeq) return "no earlier good bundle to go back to";
    try {
      cluster.apply(app, objects(bundles.files(app, good.get().sequence())));
      bundles.keepOnly(app, good.get().sequence(), failedSeq);
      return "went back to sequence " + good.get().sequence() + " (" + good.get().revision() + ")";
    } catch (ApplyException | AgentException e) {
      return "going back to sequence " + good.get().sequence() + " failed too: " + e.getMessage();
    }
  }

  private List<java.util.Map<String, Object>> objects(SortedMap<String, byte[]> files) throws AgentException {
    SortedMap<String, byte[]> open = files;
    if (settings.siteKey() != null) {
      try {
        open = SecretSealer.open(settings.site(), settings.siteKey(), files);
      } catch (BundleException e) {
        throw new AgentException("cannot open the bundle's sealed Secrets: " + e.getMessage(), e);
      }
    }
    return BundleObjects.of(open);
  }

  /**
   * For every app with a good bundle (and no failed one standing): heals drift by applying the good
   * bundle again, and reports health when it changed. Needs no engine.
   */
  void heal() throws AgentException {
    for (String app : bundles.apps()) {
      if (failed.containsKey(app)) continue;
      Optional<InstalledBundles.Good> good = bundles.good(app);
      if (good.isEmpty()) continue;
      long seq = good.get().sequence();
      String message = lastSaid.containsKey(app) ? lastSaid.get(app).message() : "running sequence " + seq;
      try {
        List<Map<String, Object>> objects = objects(bundles.files(app, seq));
        if (cluster.drifted(objects)) {
          cluster.apply(app, objects);
          message = "drift healed: re-applied sequence " + seq;
          LOG.info("agent {}: {} drifted from sequence {}; re-applied", settings.site(), app, seq);
        }
        say(app, good.get().revision(), seq, health(app), message);
      } catch (ApplyException e) {
        say(app, good.get().revision(), seq, Health.DEGRADED, "cannot check or heal the cluster: " + e.getMessage());
      }
    }
  }

  private Health health(String app) {
    try {
      Verdict v = cluster.health(app);
      return switch (v.status()) {
        case HEALTHY -> Health.HEALTHY;
        case PROGRESSING -> Health.PROGRESSING;
        case DEGRADED -> Health.DEGRADED;
        case FAILED -> Health.FAILED;
      };
    } catch (ApplyException e) {
      return Health.UNKNOWN;
    }
  }

  /** Queues a report when it says something new (revision, health, message or hold). */
  private void say(String app, String revision, long sequence, Health health, String message) throws AgentException {
    Optional<Hold> hold = hold();
    Instant until = hold.map(Hold::until).orElse(null);
    Said said = new Said(revision, sequence, health, message, until);
    if (said.equals(lastSaid.get(app))) return;
    queue.append(new AgentReport(1, app, revision, sequence, health, clock.instant(), message, until, hold.map(Hold::reason).orElse(null)));
    lastSaid.put(app, said);
  }

  /**
   * Sends the queued reports, oldest first, until the engine has taken them all, each batch with the
   * trust state; the trust state alone (an empty batch) when it changed and no report is queued.
   */
  private void flush() throws EngineUnreachable, AgentException, InterruptedException {
    SiteTrust trustNow = trustUpdates.state();
    List<AgentReport> pending = queue.pending();
    if (pending.isEmpty() && !trustNow.equals(trustTold)) {
      client.report(queue.queue(), List.of(), trustNow);
      trustTold = trustNow;
    }
    while (!pending.isEmpty()) {
      List<AgentReport> batch = pending.subList(0, Math.min(pending.size(), 200));
      long taken = client.report(queue.queue(), batch, trustNow);
      if (taken < batch.get(0).seq()) {
        throw new EngineUnreachable("the engine took none of reports " + batch.get(0).seq() + ".. (it has " + taken + ")", null);
      }
      trustTold = trustNow;
      queue.taken(taken);
      pending = queue.pending();
    }
  }

  /** The trust version this agent holds and the last refused update, as it reports them. */
  public SiteTrust trustState() {
    return trustUpdates.state();
  }

  /** Reports not yet taken by the engine (for tests and status). */
  public int queuedReports() {
    return queue.pending().size();
  }

  @Override
  public void close() {
    client.close();
  }
}
