package dev.flotilla.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A region's agents reconnecting at once: N agents each ask for their bundle with the ETag they
 * have, all at the same moment, first against the engine's pull routes (in a child JVM with a
 * 512 MiB heap, whose peak heap it reports) and then against nginx serving the same bundles as
 * static files with its own ETags, when nginx is installed. Each storm runs twice (cold, then warm);
 * it reports answers by status, requests lost, throughput and p50/p99 latency.
 */
public final class StormBenchmark {
  private final PrintStream out;

  public StormBenchmark(PrintStream out) {
    this.out = out;
  }

  public Map<String, Object> run(int sites, Path dir, String heap) throws IOException, InterruptedException {
    Map<String, Object> numbers = new LinkedHashMap<>();
    numbers.put("agents", sites);
    Files.createDirectories(dir);
    out.printf("storm: preparing %d pull sites (tokens, signed bundles) in a child JVM with -Xmx%s ...%n", sites, heap);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process server = new ProcessBuilder(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), "dev.flotilla.cli.Main",
        "bench", "bundles", "--storm-serve", dir.toString(), "--sites", Integer.toString(sites))
        .redirectError(dir.resolve("server.log").toFile()).start();
    BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    try {
      int port = awaitReady(serverOut);
      List<String[]> clients = Files.readAllLines(dir.resolve("clients.tsv")).stream().map(l -> l.split("\t")).toList();
      List<StormClient.Agent> toEngine = new ArrayList<>();
      for (String[] c : clients) {
        toEngine.add(new StormClient.Agent(URI.create("http://127.0.0.1:" + port + "/api/v1/sites/" + c[0] + "/bundles/web"), c[1], c[2]));
      }
      numbers.put("engine", twoStorms("engine", toEngine));
      Writer w = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
      w.write("DONE\n");
      w.flush();
      String[] heapLine = awaitLine(serverOut, "HEAP ").split(" ");
      long peak = Long.parseLong(heapLine[1]);
      out.printf("  engine heap during the storms: peak %.0f MiB (of at most %.0f MiB), live after GC %.0f MiB%n", peak / 1048576.0,
          Long.parseLong(heapLine[3]) / 1048576.0, Long.parseLong(heapLine[2]) / 1048576.0);
      numbers.put("engineHeapPeakBytes", peak);
      numbers.put("engineHeapLiveBytes", Long.parseLong(heapLine[2]));
      nginx(dir, clients).ifPresent(n -> numbers.put("nginx", n));
    } finally {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
    }
    return numbers;
  }

  private java.util.Optional<Map<String, Object>> nginx(Path dir, List<String[]> clients) throws IOException, InterruptedException {
    Path nginx = Path.of("/usr/sbin/nginx");
    if (!Files.isExecutable(nginx)) {
      out.println("  nginx: not installed (apt-get install nginx-light), no comparison");
      return java.util.Optional.empty();
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, """
        worker_processes 2;
        worker_rlimit_nofile 20000;
        pid %s/nginx.pid;
        error_log %s/nginx-error.log;
        events { worker_connections 16000; }
        http {
          access_log off;
          server {
            listen 127.0.0.1:%d backlog=16384;
            root %s/www;
            etag on;
            location / { default_type application/x-tar; }
          }
        }
        """.formatted(dir, dir, port, dir));
    Process p = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", conf.toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    try {
      awaitPort(port);
      List<StormClient.Agent> toNginx = new ArrayList<>();
      for (String[] c : clients) {
        Path file = dir.resolve("www/api/v1/sites/" + c[0] + "/bundles/web");
        FileTime mtime = Files.getLastModifiedTime(file);
        String etag = "\"" + Long.toHexString(mtime.toMillis() / 1000) + "-" + Long.toHexString(Files.size(file)) + "\"";
        toNginx.add(new StormClient.Agent(URI.create("http://127.0.0.1:" + port + "/api/v1/sites/" + c[0] + "/bundles/web"), null, etag));
      }
      return java.util.Optional.of(twoStorms("nginx", toNginx));
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Map<String, Object> twoStorms(String name, List<StormClient.Agent> agents) throws InterruptedException {
    Map<String, Object> both = new LinkedHashMap<>();
    for (String round : List.of("cold", "warm")) {
      StormClient.Result r = StormClient.storm(agents);
      out.printf("  %-6s %-4s: %d requests in %.2f s = %,.0f/s; answers %s; lost %d; p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%n", name, round,
          r.requests(), r.wall().toNanos() / 1e9, r.perSecond(), r.statuses(), r.lost(), r.p50Ms(), r.p99Ms(), r.maxMs(),
          r.firstError() == null ? "" : " (first error: " + r.firstError() + ")");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requests", r.requests());
      m.put("statuses", r.statuses());
      m.put("lost", r.lost());
      m.put("seconds", r.wall().toNanos() / 1e9);
      m.put("perSecond", r.perSecond());
      m.put("p50Ms", r.p50Ms());
      m.put("p99Ms", r.p99Ms());
      m.put("maxMs", r.maxMs());
      both.put(round, m);
      Thread.sleep(2000); // let the closed connections drain
    }
    return both;
  }

  private static int awaitReady(BufferedReader in) throws IOException {
    return Integer.parseInt(awaitLine(in, "READY ").substring(6).trim());
  }

  private static String awaitLine(BufferedReader in, String prefix) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith(prefix)) return line;
    }
    throw new IOException("the storm's server ended before saying " + prefix.trim() + " (see server.log)");
  }

  private static void awaitPort(int port) throws InterruptedException, IOException {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IOException("nginx did not open port " + port);
  }
}
