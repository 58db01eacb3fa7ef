package dev.flotilla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.app.DeliveryWiring;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.app.GitProvider;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.AnalysisSource;
import dev.flotilla.git.Commits;
import dev.flotilla.provider.ProviderToken;
import dev.flotilla.provider.github.GitHubSettings;
import dev.flotilla.provider.github.WebhookSignature;
import dev.flotilla.rollout.CiStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * {@code flotilla bench webhooks}: the real engine (Git repo of a generated fleet, kustomize, H2,
 * Javalin) behind GitHub's webhooks, with a GitHub-compatible API on loopback that answers at once
 * (so the provider's latency is excluded) and notes when each commit status arrives.
 *
 * <ol>
 *   <li>Plan preview: a change to one app is pushed to a pull request branch, a signed {@code
 *       pull_request} {@code synchronize} delivery is sent, and the time until the head's {@code
 *       flotilla/plan} status reaches the API is measured, {@code rounds} times (a new commit each).
 *   <li>Burst: {@code burst} distinct signed deliveries ({@code status} events, which queue a refresh
 *       of the gate's signals) sent evenly over one second, then each one sent again as GitHub's
 *       redelivery would; every answer's latency is measured, and every delivery must be accepted
 *       exactly once (202 the first time, 200 "seen before" the second), recorded once in the
 *       database.
 * </ol>
 */
public final class WebhookBenchmark {
  public static final double GOAL_PLAN_STATUS_SECONDS = 2.0;
  public static final double GOAL_BURST_ANSWER_MS = 100.0;
  static final String APP = "telemetry";
  private static final String REPO = "acme/fleet";
  private static final ProviderToken SECRET = ProviderToken.of("bench-webhook-secret");
  private static final PersonIdent BENCH = new PersonIdent("Flotilla bench", "bench@flotilla.invalid");
  private static final Duration PLAN_TIMEOUT = Duration.ofSeconds(120);

  private final Path workDir;
  private final String kustomize;
  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public WebhookBenchmark(Path workDir, String kustomize, PrintStream out) {
    this.workDir = workDir;
    this.kustomize = kustomize;
    this.out = out;
  }

  /** Runs the benchmark; returns the numbers in the order they are printed. */
  public Map<String, Object> run(int sites, int rounds, int burst) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sites", sites);
    r.put("cores", Runtime.getRuntime().availableProcessors());
    Path repo = workDir.resolve("fleet");
    FleetGenerator.write(repo, sites, List.of(APP));
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        FakeGitHub github = new FakeGitHub();
        SimulatedDelivery simulator = SimulatedDelivery.builder(java.time.Clock.systemUTC()).build()) {
      String base = Commits.commitAll(git, "generated fleet of " + sites + " sites with " + APP, BENCH);
      git.checkout().setCreateBranch(true).setName("change").call();
      EngineConfig config = new EngineConfig(repo.toString(), "main", dev.flotilla.git.GitAuth.NONE, workDir.resolve("data"), null, null, null,
          "127.0.0.1", 0, Duration.ofHours(1), Duration.ofHours(1), false, kustomize, null, java.time.Clock.systemUTC());
      GitHubSettings settings = new GitHubSettings(github.uri(), REPO, ProviderToken.of("bench-token"), true, SECRET, null);
      try (Engine engine = Engine.start(config, DeliveryWiring.of(simulator), new CiStatuses.Recorded(CiStatus.PASSED), AnalysisSource.NONE,
          GitProvider.connect(settings))) {
        RolloutBenchmark.awaitStartupJobs(engine);
        URI hook = engine.apiUri().resolve("/api/v1/webhooks/github");
        planRounds(git, repo, github, hook, base, rounds, r);
        burst(engine, hook, burst, r);
      }
    }
    return r;
  }

  private void planRounds(Git git, Path repo, FakeGitHub github, URI hook, String base, int rounds, Map<String, Object> r) throws Exception {
    List<Double> seconds = new ArrayList<>();
    String changed = "";
    Path overlay = repo.resolve("apps/" + APP + "/overlays/edge/kustomization.yaml");
    String original = java.nio.file.Files.readString(overlay);
    for (int round = 1; round <= rounds; round++) {
      java.nio.file.Files.writeString(overlay, original); // each round's change is one image tag on the edge overlay
      changed = FleetGenerator.touchOverlay(repo, APP, "edge", "v2." + round);
      String head = Commits.commitAll(git, APP + ": edge v2." + round, BENCH);
      ObjectNode event = json.createObjectNode().put("action", round == 1 ? "opened" : "synchronize").put("number", 7);
      ObjectNode pr = event.putObject("pull_request").put("number", 7);
      pr.putObject("base").put("sha", base).put("ref", "main");
      pr.putObject("head").put("sha", head).put("ref", "change");
      event.putObject("repository").put("full_name", REPO);
      long sent = System.nanoTime();
      HttpResponse<String> answer = send(hook, "pull_request", "plan-" + round, json.writeValueAsBytes(event));
      if (answer.statusCode() != 202) throw new IllegalStateException("the pull_request delivery was answered " + answer.statusCode() + ": " + answer.body());
      Status status = github.awaitPlanStatus(head, PLAN_TIMEOUT);
      double s = (status.nanos() - sent) / 1e9;
      if (!"success".equals(status.state())) {
        throw new IllegalStateException("the plan status of " + head + " is " + status.state() + ": " + status.description());
      }
      seconds.add(s);
      out.printf("  plan %d: %.3f s from the delivery to the flotilla/plan status (%s)%n", round, s, status.description());
    }
    r.put("changedFile", changed);
    r.put("planStatusSeconds", seconds);
    r.put("planStatusFirstSeconds", seconds.get(0));
    List<Double> warm = seconds.size() > 1 ? seconds.subList(1, seconds.size()) : seconds;
    r.put("planStatusWarmP50Seconds", percentile(warm, 50));
    r.put("planStatusWarmMaxSeconds", percentile(warm, 100));
    r.put("planStatusGoalSeconds", GOAL_PLAN_STATUS_SECONDS);
  }

  private void burst(Engine engine, URI hook, int burst, Map<String, Object> r) throws Exception {
    long before = deliveriesRecorded(engine);
    ExecutorService senders = Executors.newFixedThreadPool(Math.min(64, burst));
    try {
      Map<Integer, Long> first = new TreeMap<>();
      Map<Integer, Long> again = new TreeMap<>();
      double[] firstMs = sendEvenly(hook, burst, "burst-", senders, first);
      double[] againMs = sendEvenly(hook, burst, "burst-", senders, again);
      long recorded = deliveriesRecorded(engine) - before;
      r.put("burstDeliveries", burst);
      r.put("burstFirstAnswers", first);
      r.put("burstRedeliveryAnswers", again);
      r.put("burstAnswerP50Ms", percentile(firstMs, 50));
      r.put("burstAnswerP99Ms", percentile(firstMs, 99));
      r.put("burstAnswerMaxMs", percentile(firstMs, 100));
      r.put("redeliveryAnswerMaxMs", percentile(againMs, 100));
      r.put("burstAnswerGoalMs", GOAL_BURST_ANSWER_MS);
      r.put("burstLost", burst - first.getOrDefault(202, 0L));
      r.put("burstActedOnTwice", again.getOrDefault(202, 0L));
      r.put("burstDeliveriesRecorded", recorded);
    } finally {
      senders.shutdownNow();
    }
  }

  /** Sends {@code n} deliveries {@code prefix0..} evenly over one second; returns each answer's latency in ms and counts the statuses. */
  private double[] sendEvenly(URI hook, int n, String prefix, ExecutorService senders, Map<Integer, Long> statuses) throws Exception {
    long start = System.nanoTime();
    long every = Duration.ofSeconds(1).toNanos() / n;
    List<CompletableFuture<double[]>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long due = start + i * every;
      while (System.nanoTime() < due) Thread.onSpinWait();
      ObjectNode event = json.createObjectNode().put("sha", "0".repeat(39) + (i % 10)).put("state", "success").put("context", "ci/build");
      event.putObject("repository").put("full_name", REPO);
      byte[] body = json.writeValueAsBytes(event);
      String id = prefix + i;
      answers.add(CompletableFuture.supplyAsync(() -> {
        long sent = System.nanoTime();
        try {
          HttpResponse<String> answer = send(hook, "status", id, body);
          return new double[] {answer.statusCode(), (System.nanoTime() - sent) / 1e6};
        } catch (Exception e) {
          return new double[] {-1, (System.nanoTime() - sent) / 1e6};
        }
      }, senders));
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      double[] a = answers.get(i).get();
      statuses.merge((int) a[0], 1L, Long::sum);
      ms[i] = a[1];
    }
    return ms;
  }

  private HttpResponse<String> send(URI hook, String event, String delivery, byte[] body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(hook).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long deliveriesRecorded(Engine engine) throws java.sql.SQLException {
    try (Connection c = engine.database().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM webhook_deliveries")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static double percentile(List<Double> values, int p) {
    return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), p);
  }

  static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return Math.round(sorted[Percentiles.rank(sorted.length, p / 100.0)] * 1000) / 1000.0;
  }

  /** A commit status as it reached the API, and when. */
  record Status(String state, String description, long nanos) {}

  /**
   * A GitHub-compatible API on loopback that answers every call at once: commit statuses (noting
   * when each {@code flotilla/plan} one arrives), and the pull request's comments (none at first,
   * then the one posted).
   */
  static final class FakeGitHub implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-github");
      t.setDaemon(true);
      return t;
    });
    private final Map<String, Status> planStatuses = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    FakeGitHub() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
      server.setExecutor(threads);
      server.createContext("/", this::handle);
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
      long at = System.nanoTime();
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      String answer = "{}";
      int code = 200;
      if (method.equals("POST") && path.startsWith("/repos/" + REPO + "/statuses/")) {
        JsonNode status = json.readTree(body);
        if ("flotilla/plan".equals(status.path("context").asText()) && !"pending".equals(status.path("state").asText())) {
          planStatuses.putIfAbsent(path.substring(path.lastIndexOf('/') + 1),
              new Status(status.path("state").asText(), status.path("description").asText(), at));
        }
        code = 201;
      } else if (method.equals("GET") && path.endsWith("/comments")) {
        answer = "[]";
      } else if (method.equals("POST") && path.endsWith("/comments")) {
        answer = "{\"id\":77}";
        code = 201;
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }

    Status awaitPlanStatus(String sha, Duration timeout) throws InterruptedException {
      long until = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < until) {
        Status s = planStatuses.get(sha);
        if (s != null) return s;
        Thread.sleep(2);
      }
      throw new IllegalStateException("no flotilla/plan status for " + sha + " within " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
