package dev.flotilla.delivery.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.fleet.Cluster;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Site;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which push sites the adapter delivered each app to, and what they reported then: one JSON line per
 * delivery, appended before {@code deliver} returns. After a restart, the sites delivered to before
 * are polled again (their health is what the next pass waits for), instead of being forgotten until
 * their next delivery. A torn last line (a kill while writing) is skipped. Nothing secret is written:
 * the kubeconfig is a name in the engine's folder.
 */
final class DeliveredSites {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveredSites.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** One line: the site as delivered to, the report it gave, and whether the delivery was refused. */
  record Line(String app, String site, String tier, String kubeconfig, String context, String revision, String health, String message,
      String at, boolean refused, boolean inCluster) {
    Site toSite() {
      Cluster cluster = inCluster ? Cluster.IN_CLUSTER : kubeconfig == null ? null : new Cluster(kubeconfig, context);
      return new Site(site, Map.of(), tier, Delivery.PUSH, ZoneOffset.UTC, Map.of(), cluster);
    }

    SiteReport report() {
      return new SiteReport(site, app, revision, Health.valueOf(health), true, Instant.parse(at), message);
    }

    static Line of(Site site, SiteReport report, boolean refused) {
      Cluster c = site.cluster();
      return new Line(report.app(), site.name(), site.tier(), c == null ? null : c.kubeconfig(), c == null ? null : c.context(),
          report.revision(), report.health().name(), report.message(), report.observedAt().toString(), refused, c != null && c.inCluster());
    }
  }

  private final Path file;

  DeliveredSites(Path file) {
    this.file = file;
  }

  /** Every line written, oldest first; a line that cannot be read (torn by a kill) is skipped. */
  List<Line> read() {
    if (!Files.exists(file)) return List.of();
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(this::parse)
          .filter(java.util.Objects::nonNull).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("read the push adapter's delivered sites " + file, e);
    }
  }

  private Line parse(String text) {
    try {
      return JSON.readValue(text, Line.class);
    } catch (JsonProcessingException e) {
      LOG.warn("push: a line of {} cannot be read and is skipped: {}", file, e.getOriginalMessage());
      return null;
    }
  }

  synchronized void append(Line line) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The delivery happened; only the memory of it across a restart is lost, so it is not failed for this.
      LOG.warn("push: site {} not recorded in {}: {}", line.site(), file, e.toString());
    }
  }
}
