package dev.flotilla.bench;

import dev.flotilla.bundle.Bundle;
import dev.flotilla.bundle.BundleBuilder;
import dev.flotilla.bundle.BundleContent;
import dev.flotilla.bundle.BundleVerifier;
import dev.flotilla.bundle.Envelope;
import dev.flotilla.bundle.Installed;
import dev.flotilla.bundle.Limits;
import dev.flotilla.bundle.Signer;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.bundle.Statement;
import dev.flotilla.bundle.TrustDocument;
import dev.flotilla.bundle.TrustedKey;
import dev.flotilla.bundle.Verification;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * {@code flotilla bench bundles}: signs N bundle statements with Bouncy Castle's Ed25519 and with
 * the JDK's (same key, so the signatures must be equal), on one thread and on all, then builds N
 * whole bundles (manifests archive, digest, statement, signature, envelope) and verifies them,
 * against the goal of 10,000 signed bundles in 3 s on 2 cores.
 */
public final class BundleBenchmark {
  public static final double GOAL_SECONDS_PER_10K = 3.0;
  private static final Instant ISSUED = Instant.parse("2026-12-07T08:00:00Z");

  private final int threads;
  private final PrintStream out;

  public BundleBenchmark(int threads, PrintStream out) {
    this.threads = threads;
    this.out = out;
  }

  public Map<String, Object> run(int count) throws GeneralSecurityException, InterruptedException, ExecutionException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("count", count);
    r.put("threads", threads);
    r.put("cores", Runtime.getRuntime().availableProcessors());
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    SigningKey bc = SigningKey.fromSeed(seed);
    Signer jdk = new JdkEd25519Signer(seed, bc.keyId());
    byte[][] statements = statements(count);
    requireSameSignatures(bc, jdk, statements[0]);

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int warm = 0; warm < 2; warm++) {
        signAll(pool, 1, bc, statements, Math.min(count, 2000));
        signAll(pool, 1, jdk, statements, Math.min(count, 500));
      }
      Timing bc1 = signAll(pool, 1, bc, statements, count);
      Timing bcN = signAll(pool, threads, bc, statements, count);
      Timing jdk1 = signAll(pool, 1, jdk, statements, count);
      Timing jdkN = signAll(pool, threads, jdk, statements, count);
      r.put("signBouncyCastle1Thread", bc1.json());
      r.put("signBouncyCastleAllThreads", bcN.json());
      r.put("signJdk1Thread", jdk1.json());
      r.put("signJdkAllThreads", jdkN.json());
      out.printf("  sign only (PAE + Ed25519), %d statements:%n", count);
      out.printf("    Bouncy Castle: 1 thread %s (%s signatures per CPU second); %d threads %s%n", bc1, perSecond(count, bc1), threads, bcN);
      out.printf("    JDK (SunEC):   1 thread %s (%s signatures per CPU second); %d threads %s%n", jdk1, perSecond(count, jdk1), threads, jdkN);

      List<BundleContent> contents = contents(count);
      Bundle[] bundles = new Bundle[count];
      buildAll(pool, new BundleBuilder(bc), contents.subList(0, Math.min(count, 2000)), bundles);
      Timing build = buildAll(pool, new BundleBuilder(bc), contents, bundles);
      double goal = GOAL_SECONDS_PER_10K * count / 10_000.0;
      r.put("build", build.json());
      r.put("bundleBytes", bundles[0].size());
      r.put("buildWallRatioToGoal", round(build.wallSeconds() / goal));
      r.put("buildCpuPerThreadRatioToGoal", round(build.cpuSeconds() / threads / goal));
      out.printf("  whole bundles with Bouncy Castle (tar.gz, digest, statement, signature, envelope; %d bytes each), %d threads:%n",
          bundles[0].size(), threads);
      out.printf("    %s = %sx of the %s s goal by wall time, %sx by CPU time per thread (the wall time on idle cores)%n", build,
          r.get("buildWallRatioToGoal"), goal, r.get("buildCpuPerThreadRatioToGoal"));

      TrustDocument trust = new TrustDocument(1, 1, List.of(bc.publicKey()),
          List.of(new TrustedKey(bc.publicKey(), ISSUED.minusSeconds(60), ISSUED.plus(Duration.ofDays(365)))), Set.of());
      Timing verify = verifyAll(pool, new BundleVerifier(trust, Limits.DEFAULT), contents, bundles);
      r.put("verify", verify.json());
      out.printf("  verify with Bouncy Castle (signature, statement, digest, unpack), %d threads: %s%n", threads, verify);
    } finally {
      pool.shutdownNow();
    }
    return r;
  }

  private static void requireSameSignatures(Signer a, Signer b, byte[] message) {
    if (!Arrays.equals(a.sign(message), b.sign(message))) {
      throw new IllegalStateException("Bouncy Castle and the JDK disagree on an Ed25519 signature (both must follow RFC 8032)");
    }
  }

  private byte[][] statements(int count) {
    byte[][] s = new byte[count][];
    for (int i = 0; i < count; i++) {
      Statement st = new Statement(site(i), "pos", "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49", i + 1L, ISSUED,
          ISSUED.plus(Duration.ofDays(30)), "%064x".formatted(i));
      s[i] = st.toJson();
    }
    return s;
  }

  private static String site(int i) {
    return "store-%05d".formatted(i);
  }

  /** One app's manifests per site: a StatefulSet, a Service and a ConfigMap with the site stamped in (about 2 KiB). */
  private static List<BundleContent> contents(int count) {
    String template = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: pos
          namespace: pos
          labels: {flotilla.dev/site: SITE, flotilla.dev/app: pos, flotilla.dev/tier: pop}
          annotations: {flotilla.dev/revision: 3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49}
        spec:
          replicas: 1
          serviceName: pos
          selector: {matchLabels: {app: pos}}
          template:
            metadata: {labels: {app: pos}}
            spec:
              containers:
              - name: pos
                image: registry.example.com/retail/pos-server:4.13.0
                env: [{name: STORE_ID, value: SITE}, {name: REGION, value: eu-west}]
                resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {memory: 512Mi}}
                readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: pos, namespace: pos, labels: {flotilla.dev/site: SITE}}
        spec: {selector: {app: pos}, ports: [{port: 80, targetPort: 8080}]}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: pos-config, namespace: pos, labels: {flotilla.dev/site: SITE}}
        data: {STORE: SITE, CURRENCY: EUR, RECEIPT_FOOTER: Thank you for shopping with us}
        """;
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> {
      SortedMap<String, byte[]> files = new TreeMap<>();
      files.put("pos.yaml", template.replace("SITE", site(i)).getBytes(StandardCharsets.UTF_8));
      return new BundleContent(site(i), "pos", "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49", i + 1L, ISSUED, ISSUED.plus(Duration.ofDays(30)), files);
    }).toList();
  }

  private Timing signAll(ExecutorService pool, int parts, Signer signer, byte[][] statements, int n)
      throws InterruptedException, ExecutionException {
    return timed(pool, parts, n, i -> Envelope.sign(Statement.PAYLOAD_TYPE, statements[i], List.of(signer)));
  }

  private Timing buildAll(ExecutorService pool, BundleBuilder builder, List<BundleContent> contents, Bundle[] into)
      throws InterruptedException, ExecutionException {
    return timed(pool, threads, contents.size(), i -> into[i] = builder.build(contents.get(i)));
  }

  private Timing verifyAll(ExecutorService pool, BundleVerifier verifier, List<BundleContent> contents, Bundle[] bundles)
      throws InterruptedException, ExecutionException {
    Instant now = ISSUED.plusSeconds(60);
    return timed(pool, threads, bundles.length, i -> {
      Verification v = verifier.verify(bundles[i], contents.get(i).site(), Installed.NONE, now);
      if (!(v instanceof Verification.Accepted)) throw new IllegalStateException("bundle " + i + " did not verify: " + v);
    });
  }

  /**
   * Wall seconds, and CPU seconds summed over the worker threads: on a machine shared with other
   * work the wall time says little, while CPU seconds / threads is the wall time on idle cores.
   */
  record Timing(double wallSeconds, double cpuSeconds) {
    Map<String, Object> json() {
      return Map.of("wallSeconds", wallSeconds, "cpuSeconds", cpuSeconds);
    }

    @Override
    public String toString() {
      return wallSeconds + " s wall / " + cpuSeconds + " s CPU";
    }
  }

  /** Runs {@code work} for 0..n-1 split into {@code parts} contiguous ranges on the pool. */
  private static Timing timed(ExecutorService pool, int parts, int n, IntConsumer work) throws InterruptedException, ExecutionException {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long start = System.nanoTime();
    List<Future<Long>> futures = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      futures.add(pool.submit(() -> {
        long cpu = mx.getCurrentThreadCpuTime();
        for (int i = from; i < to; i++) work.accept(i);
        return mx.getCurrentThreadCpuTime() - cpu;
      }));
    }
    long cpu = 0;
    for (Future<Long> f : futures) cpu += f.get();
    return new Timing(round((System.nanoTime() - start) / 1e9), round(cpu / 1e9));
  }

  private static long perSecond(int count, Timing t) {
    return Math.round(count / Math.max(t.cpuSeconds(), 1e-9));
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
