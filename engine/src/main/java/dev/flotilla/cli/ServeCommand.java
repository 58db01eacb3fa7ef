package dev.flotilla.cli;

import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.Workspace;
import dev.flotilla.delivery.Delay;
import dev.flotilla.api.RouteTable;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.PullDelivery;
import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.KeyFile;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryRouter;
import dev.flotilla.store.Database;
import dev.flotilla.delivery.push.InClusterConfig;
import dev.flotilla.delivery.push.PushAdapter;
import dev.flotilla.delivery.RealTimeTicker;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.SchedulingException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.fleet.AllowedSigner;
import dev.flotilla.fleet.AllowedSignersFile;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Problem;
import dev.flotilla.fleet.ReadLimits;
import dev.flotilla.fleet.SignedCommits;
import dev.flotilla.git.AllowedSignerKeys;
import dev.flotilla.git.GitAuth;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.app.GitProvider;
import dev.flotilla.provider.github.GitHubSettings;
import dev.flotilla.render.RenderException;
import dev.flotilla.rollout.CiStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", description =
    "Runs the engine: follows the fleet repo, promotes every release wave by wave, serves the API " +
    "(/api/v1). Push sites get releases applied through their Kubernetes API (kubeconfigs from " +
    "--kubeconfig-dir); pull sites get signed bundles (--signing-key) their agents fetch from this server. --simulate " +
    "simulates every site instead (see the --sim-* options).")
final class ServeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin RenderOptions render;

  @Option(names = "--branch", paramLabel = "NAME", description = "Branch to follow (default: the repo's default branch).")
  String branch;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "API address (default: 127.0.0.1:8080; port 0 picks one).")
  String listen = "127.0.0.1:8080";

  @Option(names = "--allowed-host", paramLabel = "NAME",
      description = "A name clients reach the API by, besides the --listen address and loopback (repeatable): requests whose Host"
          + " header names anything else are refused, so a web page cannot reach the engine through DNS rebinding.")
  java.util.List<String> allowedHosts = new java.util.ArrayList<>();

  @Option(names = "--reinitialize",
      description = "Start even though the data folder held an engine's state and its database is gone or empty: a new, empty"
          + " database (no history; every app's current revision rolls out again).")
  boolean reinitialize;

  @Option(names = "--allowed-signers", paramLabel = "FILE", description = "YAML file 'allowedSigners: [{name, openpgp|ssh}, ...]'"
      + " (as in fleet.yaml's requireSignedCommits): every revision must be signed, whatever fleet.yaml says; a revision that no"
      + " earlier accepted revision's list judges (the first sync, or after one without requireSignedCommits) must be signed by"
      + " one of these keys. Without it the first sync trusts the first revision's own list.")
  Path allowedSigners;

  @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "Database (default: embedded H2 in the data folder; jdbc:postgresql://... for several replicas).")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "NAME") String dbUser;

  @Option(names = "--db-password-env", paramLabel = "VAR", description = "Environment variable holding the database password (default: FLOTILLA_DB_PASSWORD).")
  String dbPasswordEnv = "FLOTILLA_DB_PASSWORD";

  @Option(names = "--cluster", description = "Several replicas share the database: Quartz runs each job once across them.")
  boolean cluster;

  @Option(names = "--sync-interval", paramLabel = "SECONDS", description = "Fleet repo poll interval (default: 30).")
  long syncSeconds = 30;

  @Option(names = "--tick-interval", paramLabel = "MS", description = "Scheduling pass interval (default: 1000).")
  long tickMillis = 1000;

  @Option(names = "--delivery-timeout", paramLabel = "MS", description = "A delivery call that takes longer is abandoned and retried (default: 60000).")
  long deliveryTimeoutMs = dev.flotilla.app.EngineConfig.DEFAULT_DELIVERY_TIMEOUT.toMillis();

  @Option(names = "--retry-backoff", paramLabel = "MS", description = "First retry of a failed delivery after about MS, doubling up to 5 min (default: 2000).")
  long retryBackoffMs = dev.flotilla.engine.DeliveryWorkers.Backoff.DEFAULT.base().toMillis();

  @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus-compatible API for analysis gates.")
  String prometheus;

  @Option(names = "--ci-default", paramLabel = "STATE", description = "Without --github-api or --gitlab-api: the CI status of every context (demos): PASSED, PENDING (default) or FAILED.")
  CiStatus ciDefault = CiStatus.PENDING;

  @Mixin GitHubOptions github;
  @Mixin GitLabOptions gitlab;

  @Option(names = "--simulate", description = "Simulate every site (push ones too) instead of applying to real clusters: for demos and tests.")
  boolean simulate;

  @Option(names = "--kubeconfig-dir", paramLabel = "DIR", description = "Folder holding the kubeconfig files push sites name in spec.cluster (default: <data>/kubeconfigs).")
  Path kubeconfigDir;

  @Option(names = "--in-cluster", description = "This engine runs in a pod of a push site's cluster: sites with spec.cluster.inCluster: true are reached with the pod's service account (off: such sites fail, saying so).")
  boolean inCluster;

  @Option(names = "--health-interval", paramLabel = "MS", description = "Push sites: how often the health of the applied objects is read while a rollout needs it (default: 10000).")
  long healthIntervalMs = 10_000;

  @Option(names = "--drift-interval", paramLabel = "SECONDS", description = "Push sites: how often each cluster is compared with the release it runs, and drifted sites of apps with selfHeal re-applied (default: 180; 0: never).")
  long driftSeconds = 180;

  @Option(names = "--sim-apply-delay", paramLabel = "MS", description = "Simulated sites: time to apply a release (default: 200).")
  long applyDelayMs = 200;

  @Option(names = "--sim-ready-delay", paramLabel = "MS", description = "Simulated sites: time until healthy after applying (default: 300).")
  long readyDelayMs = 300;

  @Option(names = "--sim-fail", paramLabel = "TEXT", description = "Simulated sites fail releases whose manifests contain TEXT (e.g. an image tag).")
  String simFail;

  @Option(names = "--delivery-threads", paramLabel = "N", description = "Delivery workers that carry out the outbox (default: 8).")
  int deliveryThreads = 8;

  @Option(names = "--signing-key", paramLabel = "FILE", description = "Bundle signing key (from 'flotilla keys generate'; encrypted, "
      + "passphrase from --passphrase-env/--passphrase-file): pull sites get signed bundles their agents fetch. Without it pull sites are simulated.")
  Path signingKey;

  @Mixin PassphraseOptions passphrase;

  @Option(names = "--trust-dir", paramLabel = "DIR", description = "Key folder whose trust documents (trust/<N>.json, trust.json) agents"
      + " are served as trust updates, read again every few seconds (default: the --signing-key's folder when it holds trust.json).")
  Path trustDir;

  @Option(names = "--site-keys", paramLabel = "DIR", description = "Folder of sites' public keys (SITE.pub) that Secrets in bundles are sealed for.")
  Path siteKeys;

  @Option(names = "--sim-journal", paramLabel = "FILE", description = "Simulated sites' journal (default: <data>/simulated-sites.jsonl): what they run survives restarts.")
  Path simJournal;

  @Override
  public Integer call() throws IOException, InterruptedException, StoreException, GitSyncException, RenderException, FleetValidationException, SchedulingException, BundleException {
    // Read first: a bad pin refuses to start before anything (the data folder included) is touched.
    Optional<SignedCommits> pinned;
    try {
      pinned = pinnedSigners();
    } catch (FleetValidationException e) {
      var err = spec.commandLine().getErr();
      e.problems().stream().map(Problem::toString).map(SafeText::of).forEach(err::println);
      err.println("flotilla: serve: --allowed-signers " + SafeText.of(allowedSigners.toString()) + " is invalid ("
          + e.problems().size() + " problem(s)); the engine was not started");
      return ExitCodes.INVALID;
    }
    Workspace workspace = repo.workspace();
    int colon = listen.lastIndexOf(':');
    if (colon <= 0 || !listen.substring(colon + 1).matches("[0-9]{1,5}") || Integer.parseInt(listen.substring(colon + 1)) > 65535) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--listen must be HOST:PORT (e.g. 127.0.0.1:8080), got '" + listen + "'");
    }
    Clock clock = Clock.systemUTC();
    EngineConfig config = new EngineConfig(repo.repo.value(), branch, repo.auth(), workspace.dataDir(), dbUrl, dbUser, dbUrl == null ? null : System.getenv(dbPasswordEnv),
        listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)), Duration.ofSeconds(syncSeconds),
        Duration.ofMillis(tickMillis), cluster, render.kustomize, prometheus, clock, deliveryThreads)
        .withDeliveryTiming(Duration.ofMillis(deliveryTimeoutMs), new dev.flotilla.engine.DeliveryWorkers.Backoff(
            Duration.ofMillis(retryBackoffMs), dev.flotilla.engine.DeliveryWorkers.Backoff.DEFAULT.max()))
        .withAllowedHosts(allowedHosts).withReinitialize(reinitialize).withPinnedSigners(pinned);
    if (driftSeconds < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--drift-interval must be 0 (never) or more seconds, got " + driftSeconds);
    }
    config = config.withDriftInterval(Duration.ofSeconds(driftSeconds));
    Path journal = simJournal != null ? simJournal : workspace.dataDir().resolve("simulated-sites.jsonl");
    java.nio.file.Files.createDirectories(journal.toAbsolutePath().getParent());
    Optional<GitProvider> provider = provider();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Path kubeconfigs = (kubeconfigDir != null ? kubeconfigDir : workspace.dataDir().resolve("kubeconfigs")).toAbsolutePath();
    try (SimulatedDelivery sites = SimulatedDelivery.builder(clock).journal(journal)
            .applyDelay(Delay.fixed(Duration.ofMillis(applyDelayMs))).readyDelay(Delay.fixed(Duration.ofMillis(readyDelayMs))).build();
        RealTimeTicker ticker = RealTimeTicker.start(sites, Duration.ofMillis(20));
        PushAdapter push = PushAdapter.start(PushAdapter.Settings.defaults(kubeconfigs)
            .withHealthTtl(Duration.ofMillis(healthIntervalMs)).withDeliveredSites(workspace.dataDir().resolve("push-sites.jsonl"))
            .withInCluster(inCluster ? InClusterConfig.fromEnvironment() : null), clock);
        Engine engine = provider.isPresent()
            ? Engine.start(config, delivery(sites, push, workspace, clock), provider.get())
            : Engine.start(config, delivery(sites, push, workspace, clock), new CiStatuses.Recorded(ciDefault))) {
      if (simFail != null) sites.failReleasesContaining(simFail);
      String how = simulate ? "every site simulated"
          : "push sites through kubeconfigs in " + kubeconfigs + ", pull sites "
              + (signingKey == null ? "SIMULATED (no --signing-key)" : "through signed bundles their agents fetch"
                  + (trustDir != null || defaultTrustDir() != null ? ", trust updates from " + (trustDir != null ? trustDir : defaultTrustDir())
                      : ", no trust updates (no --trust-dir)"));
      System.out.println("flotilla serve: API on " + engine.apiUri() + " (data " + workspace.dataDir() + "; " + how + ")");
      pinned.ifPresent(list -> System.out.println("flotilla serve: every revision must be signed; pinned signers (--allowed-signers "
          + allowedSigners + "): " + list.allowedSigners().stream().map(AllowedSigner::name).collect(java.util.stream.Collectors.joining(", "))));
      // On SIGTERM the hook wakes the main thread and waits until it has closed everything in order.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopped.countDown();
        try {
          closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "flotilla-shutdown"));
      stopped.await();
    } finally {
      closed.countDown();
    }
    return ExitCodes.OK;
  }

  /** The {@code --allowed-signers} file's list, read and checked before anything starts; empty without the option. */
  private Optional<SignedCommits> pinnedSigners() throws FleetValidationException {
    if (allowedSigners == null) return Optional.empty();
    String file = allowedSigners.toString();
    String text;
    try {
      long size = java.nio.file.Files.size(allowedSigners);
      if (size > ReadLimits.DEFAULT.maxFileBytes()) {
        throw AllowedSignersFile.unreadable(file, "the file has " + size + " bytes, more than " + ReadLimits.DEFAULT.maxFileBytes());
      }
      text = java.nio.file.Files.readString(allowedSigners);
    } catch (java.nio.file.NoSuchFileException e) {
      throw AllowedSignersFile.unreadable(file, "no such file");
    } catch (java.nio.file.AccessDeniedException e) {
      throw AllowedSignersFile.unreadable(file, "permission denied");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw AllowedSignersFile.unreadable(file, "not UTF-8 text");
    } catch (IOException e) {
      throw AllowedSignersFile.unreadable(file, "cannot read file: " + e.getMessage());
    }
    SignedCommits pinned = AllowedSignersFile.parse(file, text);
    java.util.List<Problem> unusable = new java.util.ArrayList<>();
    for (int i = 0; i < pinned.allowedSigners().size(); i++) {
      AllowedSigner signer = pinned.allowedSigners().get(i);
      String field = "allowedSigners[" + i + "]." + signer.format().field();
      AllowedSignerKeys.unusable(signer).ifPresent(why -> unusable.add(new Problem(file, 0, field, why)));
    }
    if (!unusable.isEmpty()) throw new FleetValidationException(unusable);
    return Optional.of(pinned);
  }

  /** The signing key's folder when it is a key folder (it holds trust.json), else none. */
  private Path defaultTrustDir() {
    Path folder = signingKey.toAbsolutePath().getParent();
    return folder != null && java.nio.file.Files.isRegularFile(folder.resolve("trust.json")) ? folder : null;
  }

  /** Every site simulated; or push sites applied and pull sites published as bundles (simulated without a signing key). */
  private DeliveryWiring delivery(SimulatedDelivery sites, PushAdapter push, Workspace workspace, Clock clock) throws BundleException {
    if (simulate) return DeliveryWiring.of(sites);
    if (signingKey == null) return DeliveryWiring.of(new DeliveryRouter(push.delivery(), sites));
    SigningKey key = KeyFile.readSigningKey(signingKey, passphrase.read());
    PullDelivery.Settings settings = PullDelivery.Settings.defaults(key, workspace.dataDir(), clock)
        .withStorage(cluster || dbUrl != null ? PullDelivery.Storage.DATABASE : PullDelivery.Storage.FILES);
    Path trust = trustDir != null ? trustDir : defaultTrustDir();
    if (trust != null) settings = settings.withTrustDir(trust);
    PullDelivery pull = new PullDelivery(siteKeys == null ? settings : settings.withSiteKeys(siteKeys));
    return new DeliveryWiring() {
      @Override
      public Delivery delivery(Database db) throws StoreException {
        return new DeliveryRouter(push.delivery(), pull.delivery(db));
      }

      @Override
      public RouteTable routes() {
        return pull.routes();
      }
    };
  }

  /** The Git provider: GitHub-compatible ({@code --github-api}) or GitLab ({@code --gitlab-api}), not both; none without either. */
  private Optional<GitProvider> provider() throws java.io.IOException {
    Optional<GitHubSettings> hub = github.settings();
    Optional<dev.flotilla.provider.gitlab.GitLabSettings> lab = gitlab.settings(github.publicUrl);
    if (hub.isPresent() && lab.isPresent()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--github-api and --gitlab-api exclude each other: one provider holds the fleet repo");
    }
    return hub.map(GitProvider::connect).or(() -> lab.map(GitProvider::connect));
  }
}
