package dev.flotilla.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flotilla.fleet.Site;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The releases simulated sites were given, one JSON line each, forced to disk before {@link
 * SimulatedDelivery#deliver} returns: a delivery the engine counts as carried out is never lost by a
 * kill of the simulator's JVM, as a real push (applied by the API server) or pull (a published
 * bundle) is not. On open, the newest release given to each site and app comes back, to be given
 * again if the site had not applied it. A torn last line is dropped, as in {@link ApplyJournal}.
 */
final class GivenJournal implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(GivenJournal.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** One given release as written. */
  record Given(String site, String delivery, String app, String revision, String rolloutId, List<Manifest> manifests) {
    SiteRelease release() {
      Site s = new Site(site, Map.of(), "unknown", dev.flotilla.fleet.Delivery.valueOf(delivery), ZoneOffset.UTC, Map.of(), null);
      return new SiteRelease(s, app, revision, rolloutId, new DesiredState(site, app, revision, manifests));
    }
  }

  private final FileChannel channel;

  private GivenJournal(FileChannel channel) {
    this.channel = channel;
  }

  /** Opens (or creates) the journal; {@code newest} receives the newest given release per site and app. */
  static GivenJournal open(Path file, Map<String, Given> newest) throws IOException {
    byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    long whole = 0;
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') continue;
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      Given g = JSON.readValue(line, Given.class);
      newest.put(g.site() + "\n" + g.app(), g);
      start = i + 1;
      whole = start;
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (whole < channel.size()) {
      LOG.warn("simulator: dropping a torn last line of {}", file);
      channel.truncate(whole);
      channel.force(true);
    }
    channel.position(whole);
    return new GivenJournal(channel);
  }

  synchronized void append(SiteRelease r) {
    try {
      Given g = new Given(r.site().name(), r.site().delivery().name(), r.app(), r.revision(), r.rolloutId(), r.desired().manifests());
      ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(g) + "\n").getBytes(StandardCharsets.UTF_8));
      while (line.hasRemaining()) channel.write(line);
      channel.force(false);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("release " + r.name() + " for site " + r.site().name() + " cannot be written as JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot journal the release given to site " + r.site().name(), e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
