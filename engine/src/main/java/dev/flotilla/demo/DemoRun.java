package dev.flotilla.demo;

import dev.flotilla.engine.EngineException;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.RenderException;
import java.io.IOException;
import org.eclipse.jgit.api.errors.GitAPIException;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.AppliedRelease;
import dev.flotilla.delivery.Delay;
import dev.flotilla.delivery.DeliveryRouter;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.fleet.App;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Site;
import dev.flotilla.rollout.CiStatus;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One run of {@code flotilla demo}: the example fleet in a new Git repository, simulated sites (or,
 * with {@code --push-mock}, the push sites on in-process mock API servers reached through the real
 * push adapter, and the pull sites simulated), the engine on embedded H2 in the work folder, and
 * the demo clock. Sites start with nothing, so the
 * first sync makes a rollout per app of today's revision; those run to the end first, fast. Then
 * the demo commits a pos release, syncs, and shows that rollout wave by wave (taking one store
 * offline on the way, to show that an offline site does not block a wave), until the scenario's
 * end: the release completed, or (bad-release) halted at the canary wave and rolled back.
 */
public final class DemoRun {
  /** A Monday after the example's peak-season freeze (2026-11-25 to 2026-12-02), when dc-weekday opens within the hour. */
  public static final Instant START = Instant.parse("2026-12-07T08:00:00Z");
  static final String RELEASED_APP = "pos";
  private static final Duration TODAY_LIMIT = Duration.ofDays(14);
  private static final Duration RELEASE_LIMIT = Duration.ofDays(21);
  private static final long SEED = 20261207L;
  /** How long a site's workloads take to become ready after an apply, simulated or on a mock API server. */
  private static final Duration READY_DELAY = Duration.ofMinutes(2);

  private final DemoSettings settings;
  private final DemoOutput output;
  private final DemoFleet fleet;
  private final SteppedClock clock;
  private final SimulatedDelivery sites;
  private final Optional<MockPushSites> pushSites;
  private final Engine engine;
  private final DemoRounds rounds;

  private DemoRun(DemoSettings settings, DemoOutput output, DemoFleet fleet, SteppedClock clock, SimulatedDelivery sites,
      Optional<MockPushSites> pushSites, Engine engine) {
    this.settings = settings;
    this.output = output;
    this.fleet = fleet;
    this.clock = clock;
    this.sites = sites;
    this.pushSites = pushSites;
    this.engine = engine;
    this.rounds = new DemoRounds(engine, () -> sites.tick() + pushSites.map(MockPushSites::tick).orElse(0), clock, settings.step(),
        settings.pause(), output);
  }

  /** Runs the demo to its end and stops everything it started; the work folder is left for a look. */
  public static DemoOutcome run(DemoSettings settings, DemoOutput output) throws IOException, GitAPIException, InterruptedException,
      StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException, EngineException {
    Files.createDirectories(settings.workDir());
    try (DemoFleet fleet = DemoFleet.create(settings.example(), settings.workDir().resolve("fleet"), settings.sites())) {
      output.step("The fleet repo: " + fleet.repo() + ", " + fleet.today().sites().size() + " sites, "
          + fleet.today().apps().size() + " apps; first commit \"Fleet as it runs today\" (" + shortId(fleet.todayRevision()) + ")");
      SteppedClock clock = new SteppedClock(START);
      List<String> apps = fleet.today().apps().stream().map(App::name).toList();
      List<Site> push = fleet.today().sites().stream().filter(s -> s.delivery() == Delivery.PUSH).toList();
      try (SimulatedDelivery sites = SimulatedDelivery.builder(clock)
              .applyDelay(Delay.between(Duration.ofMinutes(1), Duration.ofMinutes(4)))
              .readyDelay(Delay.fixed(READY_DELAY))
              .random(new SplittableRandom(SEED))
              .build();
          MockPushSites pushSites = settings.pushMock() ? MockPushSites.start(push, clock, READY_DELAY) : null) {
        dev.flotilla.delivery.Delivery delivery = pushSites == null ? sites : new DeliveryRouter(pushSites.delivery(), sites);
        try (Engine engine = Engine.start(config(settings, fleet, clock), delivery, new CiStatuses.Recorded(CiStatus.PASSED),
            new SiteHealthAnalysis(delivery, apps))) {
          return new DemoRun(settings, output, fleet, clock, sites, Optional.ofNullable(pushSites), engine).play();
        }
      }
    }
  }

  /**
   * The engine on embedded H2 in the work folder, its API on a free loopback port, and its Quartz
   * jobs so rare that the demo loop alone steps the rollouts on the demo clock.
   */
  private static EngineConfig config(DemoSettings settings, DemoFleet fleet, SteppedClock clock) {
    EngineConfig c = EngineConfig.defaults(fleet.repo().toString(), settings.workDir().resolve("data"))
        .withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofDays(1), Duration.ofDays(1))
        .withClock(clock);
    return new EngineConfig(c.repo(), c.branch(), c.auth(), c.dataDir(), c.dbUrl(), c.dbUser(), c.dbPassword(), c.listenHost(),
        c.listenPort(), c.syncInterval(), c.tickInterval(), c.clustered(), settings.kustomize(), c.prometheusUrl(), c.clock());
  }

  private DemoOutcome play()
      throws IOException, GitAPIException, InterruptedException, StoreException, GitSyncException, FleetValidationException,
      SchedulingException,
      EngineException {
    output.step("The engine runs on embedded H2 in " + settings.workDir().resolve("data") + ", API on " + engine.apiUri()
        + "; demo time starts " + START + " (a Monday after the peak-season freeze), " + settings.step().toMinutes()
        + " simulated minutes per round. Sites start with nothing: bringing every site to today's revision first"
        + " (fast-forward, approvals by \"" + DemoRounds.ACTOR + "\") ...");
    pushSites.ifPresent(p -> output.step("Push sites on in-process fabric8 mock API servers, applied to by the push adapter"
        + " (server-side apply, inventory, health of the applied objects): " + p.urls()));
    DemoRounds.Result today = rounds.runUntil(r -> {}, DemoRun::todaySettled, TODAY_LIMIT);
    if (!today.reached()) return outcome(false, "today's revision did not reach every site within " + TODAY_LIMIT.toDays() + " simulated days");
    output.step("Today's revision runs at every site (" + history().size() + " applies; demo time " + clock.instant() + ")");

    DemoScenario scenario = settings.scenario();
    if (scenario.releaseFails()) {
      sites.failReleasesContaining(DemoFleet.POS_IMAGE + scenario.imageTag());
      pushSites.ifPresent(p -> p.refuseAppliesContaining(DemoFleet.POS_IMAGE + scenario.imageTag()));
    }
    String revision = fleet.commitRelease(scenario.imageTag());
    engine.syncNow();
    String releaseId = rolloutOf(revision);
    output.step("Committed \"pos: release " + scenario.imageTag() + "\" (" + shortId(revision) + ") and synced: rollout " + releaseId
        + (scenario.releaseFails() ? "; the sites will fail to apply image " + scenario.imageTag() : ""));
    rounds.show(releaseId);
    ReleaseWatch watch = new ReleaseWatch(releaseId, scenario, offlineSite(releaseId));
    DemoRounds.Result release = rounds.runUntil(watch::react, watch::over, RELEASE_LIMIT);
    if (!release.reached()) return outcome(false, "the release did not end within " + RELEASE_LIMIT.toDays() + " simulated days");
    return outcome(watch.asExpected(release.rollouts()), watch.verdict(release.rollouts()));
  }

  /** Every rollout of today's revision completed, and every one of its sites runs it. */
  private static boolean todaySettled(Map<String, RolloutView> rollouts) {
    return !rollouts.isEmpty() && rollouts.values().stream().allMatch(v -> v.state().equals("COMPLETED") && allDone(v));
  }

  static boolean allDone(RolloutView v) {
    return v.waves().stream().allMatch(w -> w.done() == w.total());
  }

  private String rolloutOf(String revision) throws StoreException {
    return engine.operations().list().stream()
        .filter(v -> v.app().equals(RELEASED_APP) && v.revision().equals(revision) && v.kind().equals("RELEASE"))
        .findFirst().map(RolloutView::id)
        .orElseThrow(() -> new IllegalStateException("the sync of " + revision + " made no rollout of " + RELEASED_APP));
  }

  /**
   * The site the demo takes offline while the release runs: the last pull site of the release's
   * last wave with several sites, so that the wave's completion threshold lets it pass without it.
   * None for bad-release, which never gets that far.
   */
  private Optional<OfflineSite> offlineSite(String releaseId) throws EngineException, StoreException {
    if (settings.scenario().releaseFails()) return Optional.empty();
    RolloutView release = engine.operations().get(releaseId);
    for (int w = release.waves().size() - 1; w >= 0; w--) {
      String wave = release.waves().get(w).name();
      List<String> members = release.sites().stream().filter(s -> s.wave().equals(wave)).map(RolloutView.SiteTargetView::site).toList();
      if (members.size() < 4) continue;
      String last = members.get(members.size() - 1);
      Optional<Site> site = fleet.today().site(last);
      if (site.isPresent() && site.get().delivery() == Delivery.PULL) return Optional.of(new OfflineSite(last, wave));
    }
    return Optional.empty();
  }

  private record OfflineSite(String site, String wave) {}

  /** Follows the release: shows its rollback when one starts, takes a site offline and brings it back. */
  private final class ReleaseWatch {
    private final String releaseId;
    private final String rollbackId;
    private final DemoScenario scenario;
    private final Optional<OfflineSite> offline;
    private boolean wentOffline;
    private boolean cameBack;

    ReleaseWatch(String releaseId, DemoScenario scenario, Optional<OfflineSite> offline) {
      this.releaseId = releaseId;
      this.rollbackId = releaseId + "-rollback";
      this.scenario = scenario;
      this.offline = offline;
      this.cameBack = offline.isEmpty();
    }

    void react(Map<String, RolloutView> rollouts) {
      if (offline.isPresent() && !wentOffline) {
        sites.goOffline(offline.get().site());
        wentOffline = true;
        output.event(clock.instant(), "site " + offline.get().site() + " (wave " + offline.get().wave()
            + ") lost its link: offline until that wave has passed without it");
      }
      RolloutView release = rollouts.get(releaseId);
      if (offline.isPresent() && !cameBack && release != null && waveOver(release, offline.get().wave())) {
        sites.goOnline(offline.get().site());
        cameBack = true;
        output.event(clock.instant(), "site " + offline.get().site() + " is back online: it pulls " + RELEASED_APP
            + "@" + shortId(release.revision()) + " in one step");
      }
      if (rollouts.containsKey(rollbackId)) rounds.show(rollbackId);
    }

    private boolean waveOver(RolloutView release, String wave) {
      return !release.state().equals("RUNNING")
          || release.waves().stream().anyMatch(w -> w.name().equals(wave) && w.completedAt() != null);
    }

    /** The scenario's end, or a state from which it cannot get there. */
    boolean over(Map<String, RolloutView> rollouts) {
      RolloutView release = rollouts.get(releaseId);
      RolloutView rollback = rollouts.get(rollbackId);
      if (release == null) return true;
      return switch (release.state()) {
        case "COMPLETED" -> scenario.releaseFails() || cameBack && allDone(release);
        case "HALTED" -> !scenario.releaseFails() || rollback != null && !rollback.state().equals("RUNNING")
            && !rollback.state().equals("QUEUED") && (!rollback.state().equals("COMPLETED") || allDone(rollback));
        case "ROLLED_BACK", "ABORTED", "SUPERSEDED" -> true;
        default -> false;
      };
    }

    boolean asExpected(Map<String, RolloutView> rollouts) {
      RolloutView release = rollouts.get(releaseId);
      RolloutView rollback = rollouts.get(rollbackId);
      if (release == null) return false;
      if (!scenario.releaseFails()) return release.state().equals("COMPLETED") && allDone(release);
      return release.state().equals("HALTED") && rollback != null && rollback.state().equals("COMPLETED") && allDone(rollback);
    }

    String verdict(Map<String, RolloutView> rollouts) {
      RolloutView release = rollouts.get(releaseId);
      RolloutView rollback = rollouts.get(rollbackId);
      String ended = "release " + releaseId + " " + (release == null ? "missing" : release.state())
          + (rollback == null ? "" : ", rollback " + rollbackId + " " + rollback.state());
      String expected = scenario.releaseFails() ? "the release HALTED and its rollback COMPLETED" : "the release COMPLETED at every site";
      return (asExpected(rollouts) ? "as expected, " : "NOT as expected (" + expected + "): ") + ended;
    }
  }

  private DemoOutcome outcome(boolean asExpected, String verdict) throws EngineException, StoreException {
    List<RolloutView> views = new ArrayList<>();
    for (RolloutView v : engine.operations().list()) views.add(engine.operations().get(v.id()));
    views.sort(java.util.Comparator.comparing(RolloutView::createdAt).thenComparing(RolloutView::id));
    DemoReport report = DemoReport.of(settings.scenario(), fleet.today().sites().size(), views, history(),
        pushSites.map(MockPushSites::clusters).orElse(List.of()));
    return new DemoOutcome(asExpected, verdict, report, views, START, clock.instant(), rounds.rounds());
  }

  /** Every apply of the run, simulated sites' and push sites' together, in the order of the demo clock. */
  private List<AppliedRelease> history() {
    List<AppliedRelease> all = new ArrayList<>(sites.history());
    pushSites.ifPresent(p -> all.addAll(p.history()));
    all.sort(java.util.Comparator.comparing(AppliedRelease::at)); // stable: each source's own order is kept
    return all;
  }

  static String shortId(String revision) {
    return revision.length() > 12 ? revision.substring(0, 12) : revision;
  }
}
