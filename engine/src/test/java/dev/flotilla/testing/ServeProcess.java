package dev.flotilla.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code flotilla serve} in a child JVM, on this test's class path, for tests that kill the engine
 * for real: {@link #kill()} is SIGKILL on Linux (no shutdown hook runs, nothing is flushed), {@link
 * #stop()} is SIGTERM (the engine closes in order). Each start writes the child's stdout and stderr
 * to a log file of its own, whose tail {@link #logTail} returns for failure messages.
 *
 * <p>Close it in a {@code finally}: closing kills a child that is still running, so a failing test
 * leaves no engine behind.
 */
public final class ServeProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> argv;
  private final Path logDir;
  private final URI api;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private Path log;
  private int starts;

  private ServeProcess(List<String> argv, Path logDir, URI api) {
    this.argv = argv;
    this.logDir = logDir;
    this.api = api;
  }

  /**
   * A child that serves {@code repo} to simulated sites ({@code --simulate}) with its data (H2,
   * simulator journal, caches) in {@code data} and its API on {@code port}, with the given extra
   * {@code serve} options; not started yet.
   */
  public static ServeProcess of(Path repo, Path data, int port, Path logDir, List<String> options) {
    List<String> all = new ArrayList<>(List.of("--simulate"));
    all.addAll(options);
    return delivering(repo, data, port, logDir, all);
  }

  /** As {@link #of}, delivering as {@code serve} does by default: push sites through their kubeconfigs. */
  public static ServeProcess delivering(Path repo, Path data, int port, Path logDir, List<String> options) {
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // A short-lived JVM on two shared cores: start fast rather than run fast.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"),
        "dev.flotilla.cli.Main", "serve",
        "--repo", repo.toString(),
        "--data-dir", data.toString(),
        "--listen", "127.0.0.1:" + port));
    argv.addAll(options);
    return new ServeProcess(List.copyOf(argv), logDir, URI.create("http://127.0.0.1:" + port + "/api/v1"));
  }

  /**
   * A child that runs {@code mainClass} (a test's own wiring of the engine, on this test's class
   * path) with {@code args}, its API on {@code port}; not started yet.
   */
  public static ServeProcess ofMain(String mainClass, List<String> args, int port, Path logDir) {
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), mainClass));
    argv.addAll(args);
    return new ServeProcess(List.copyOf(argv), logDir, URI.create("http://127.0.0.1:" + port + "/api/v1"));
  }

  /** SIGSTOP: the child is frozen as it is (threads, open connections, leases), as a stalled VM or a long GC pause. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT: a paused child runs on from where it was. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    } catch (IOException e) {
      throw new UncheckedIOException("kill -" + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A TCP port that was free a moment ago. */
  /** The API's base address ({@code http://127.0.0.1:PORT/api/v1}). */
  public URI uri() {
    return api;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("find a free port", e);
    }
  }

  /** Starts the child (again); its output goes to {@code serve-<n>.log}. The previous child must be dead. */
  public ServeProcess start() {
    if (process != null && process.isAlive()) throw new IllegalStateException("the engine is still running: pid " + process.pid());
    starts++;
    log = logDir.resolve("serve-" + starts + ".log");
    try {
      Files.createDirectories(logDir);
      process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("start flotilla serve: " + argv, e);
    }
    return this;
  }

  /** Waits until the API answers its health route; fails with the log's tail if the child dies or is too slow. */
  public ServeProcess awaitUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("flotilla serve (start " + starts + ") exited with " + process.exitValue() + "\n" + logTail(40));
      }
      try {
        HttpResponse<String> health = http.send(request("/health").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) return this;
      } catch (ConnectException | java.net.http.HttpConnectTimeoutException e) {
        // not listening yet
      } catch (IOException e) {
        // the listener is coming up
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for flotilla serve", e);
      }
      sleep(Duration.ofMillis(50));
    }
    throw new AssertionError("flotilla serve (start " + starts + ") did not answer " + api + "/health within " + timeout + "\n"
        + logTail(40));
  }

  /** SIGKILL, and waits until the child is gone. */
  public void kill() {
    end(true);
  }

  /** SIGTERM (the engine closes the API, Quartz, the database and the journal), and waits until the child is gone. */
  public void stop() {
    end(false);
  }

  private void end(boolean forcibly) {
    if (process == null) return;
    if (forcibly) process.destroyForcibly();
    else process.destroy();
    try {
      if (!process.waitFor(forcibly ? 10 : 30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("flotilla serve (pid " + process.pid() + ") did not end after " + (forcibly ? "SIGKILL" : "SIGTERM"));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while ending flotilla serve", e);
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public int starts() {
    return starts;
  }

  /** GET {@code /api/v1<path>} as JSON; fails on any status but 200. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    return answer(http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()), "GET " + path);
  }

  /** POST a JSON body to {@code /api/v1<path>}; fails on any status but 200. */
  public JsonNode post(String path, String body) throws IOException, InterruptedException {
    HttpRequest post = request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    return answer(http.send(post, HttpResponse.BodyHandlers.ofString()), "POST " + path);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10));
  }

  private static JsonNode answer(HttpResponse<String> response, String what) throws IOException {
    if (response.statusCode() != 200) {
      throw new AssertionError(what + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** The last {@code lines} lines of the current (or last) child's log. */
  public String logTail(int lines) {
    if (log == null || !Files.exists(log)) return "(no log)";
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "--- " + log + " (last " + Math.min(lines, all.size()) + " of " + all.size() + " lines) ---\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Kills a child that still runs. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
