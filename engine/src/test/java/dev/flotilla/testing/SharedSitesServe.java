package dev.flotilla.testing;

import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.engine.CiStatuses;
import dev.flotilla.engine.DeliveryWorkers;
import dev.flotilla.rollout.CiStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One engine replica as {@code flotilla serve --cluster} builds it (the same {@link Engine}: Quartz's
 * clustered job store, the pass, the outbox and its delivery workers, the API), in a child JVM of a
 * test, with {@link SharedSites} as its delivery adapter so that the replicas' deliveries are seen
 * in one place. Options: {@code --repo --data --port --db-url --db-user --engine --tick-ms
 * --delivery-timeout-ms --call-ms --ready-ms}. SIGTERM closes the engine in order.
 */
public final class SharedSitesServe {
  private SharedSitesServe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) o.put(args[i].substring(2), args[i + 1]);
    String url = o.get("db-url");
    String user = o.get("db-user");
    EngineConfig config = EngineConfig.defaults(o.get("repo"), Path.of(o.get("data")))
        .withListen("127.0.0.1", Integer.parseInt(o.get("port")))
        .withIntervals(Duration.ofSeconds(1), Duration.ofMillis(Long.parseLong(o.get("tick-ms"))))
        .withDatabase(url, user, "", true)
        .withDeliveryTiming(Duration.ofMillis(Long.parseLong(o.get("delivery-timeout-ms"))),
            new DeliveryWorkers.Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)));
    SharedSites sites = new SharedSites(url, user, o.get("engine"), Duration.ofMillis(Long.parseLong(o.get("call-ms"))),
        Duration.ofMillis(Long.parseLong(o.get("ready-ms"))));
    CountDownLatch closed = new CountDownLatch(1);
    Engine engine = Engine.start(config, sites, new CiStatuses.Recorded(CiStatus.PASSED));
    System.out.println("replica " + o.get("engine") + ": API on " + engine.apiUri());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      engine.close();
      closed.countDown();
    }, "replica-shutdown"));
    closed.await();
  }
}
