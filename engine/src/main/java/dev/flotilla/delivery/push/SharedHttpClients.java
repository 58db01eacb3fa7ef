package dev.flotilla.delivery.push;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * One Vert.x instance, with a fixed number of event-loop threads, under the HTTP clients of every
 * push site. fabric8's default makes a Vert.x per client (about three threads per site, measured),
 * which grows with the fleet; with this, threads stay flat however many sites are open.
 */
public final class SharedHttpClients implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClient.Factory factory;

  public SharedHttpClients(int eventLoopThreads) {
    if (eventLoopThreads < 1) throw new IllegalArgumentException("eventLoopThreads must be at least 1, got " + eventLoopThreads);
    this.vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(eventLoopThreads)
        .setWorkerPoolSize(eventLoopThreads)
        .setInternalBlockingPoolSize(eventLoopThreads)
        // fabric8 and our own code never block an event loop on purpose; a long check only adds noise.
        .setBlockedThreadCheckInterval(TimeUnit.SECONDS.toMillis(10)));
    this.factory = new Vertx5HttpClientFactory(vertx);
  }

  public HttpClient.Factory factory() {
    return factory;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
