package dev.flotilla.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.delivery.pull.AgentReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The agent's durable report queue: {@code reports.jsonl}, one report per line, appended and
 * synced before the agent goes on, and {@code report-queue.json} saying which queue it is ({@code
 * queue}, a random id made with the queue) and how far the engine has taken it ({@code taken}).
 * Reports are numbered 1, 2, 3, … and replayed in order until the engine has taken them; the file
 * is rewritten without the taken ones once they are many. A line cut short by a crash is dropped.
 * One owner thread.
 */
final class ReportQueue {
  static final String LOG = "reports.jsonl";
  static final String MARK = "report-queue.json";
  private static final int COMPACT_AFTER = 256;
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path dir;
  private final String queue;
  private long taken;
  private final List<AgentReport> pending = new ArrayList<>();
  private long last;

  private ReportQueue(Path dir, String queue, long taken, List<AgentReport> lines) {
    this.dir = dir;
    this.queue = queue;
    this.taken = taken;
    this.last = taken;
    for (AgentReport r : lines) {
      last = Math.max(last, r.seq());
      if (r.seq() > taken) pending.add(r);
    }
  }

  /** Opens the queue in {@code dir}, making a new one when there is none. */
  static ReportQueue open(Path dir) throws AgentException {
    Path mark = dir.resolve(MARK);
    try {
      if (!Files.exists(mark)) {
        ReportQueue q = new ReportQueue(dir, UUID.randomUUID().toString(), 0, List.of());
        q.writeMark();
        Files.deleteIfExists(dir.resolve(LOG));
        return q;
      }
      var node = JSON.readTree(Files.readAllBytes(mark));
      if (node == null || !node.path("queue").isTextual() || !node.path("taken").canConvertToLong()) {
        throw new AgentException("report queue " + mark + " is corrupt");
      }
      return new ReportQueue(dir, node.get("queue").asText(), node.get("taken").asLong(), readLines(dir.resolve(LOG)));
    } catch (IOException e) {
      throw new AgentException("cannot open report queue in " + dir, e);
    }
  }

  private static List<AgentReport> readLines(Path log) throws IOException {
    List<AgentReport> out = new ArrayList<>();
    byte[] all;
    try {
      all = Files.readAllBytes(log);
    } catch (NoSuchFileException e) {
      return out;
    }
    String text = new String(all, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) return out; // nothing whole was ever written
    for (String line : text.substring(0, end).split("\n")) {
      if (line.isBlank()) continue;
      out.add(JSON.readValue(line, AgentReport.class));
    }
    return out;
  }

  /** Appends {@code report} as the next of the queue (its seq is set here), durably. */
  AgentReport append(AgentReport report) throws AgentException {
    AgentReport numbered = report.withSeq(last + 1);
    try {
      byte[] line = (JSON.writeValueAsString(numbered) + "\n").getBytes(StandardCharsets.UTF_8);
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(dir.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        ch.write(ByteBuffer.wrap(line));
        ch.force(false);
      }
    } catch (IOException e) {
      throw new AgentException("cannot append to report queue " + dir.resolve(LOG), e);
    }
    last = numbered.seq();
    pending.add(numbered);
    return numbered;
  }

  String queue() {
    return queue;
  }

  /** The reports not yet taken, oldest first. */
  List<AgentReport> pending() {
    return List.copyOf(pending);
  }

  /** The engine has taken everything up to {@code seq}. */
  void taken(long seq) throws AgentException {
    if (seq <= taken) return;
    taken = Math.min(seq, last);
    pending.removeIf(r -> r.seq() <= taken);
    writeMark();
    if (pending.isEmpty() || taken % COMPACT_AFTER == 0) compact();
  }

  private void compact() throws AgentException {
    StringBuilder rest = new StringBuilder();
    try {
      for (AgentReport r : pending) rest.append(JSON.writeValueAsString(r)).append('\n');
    } catch (IOException e) {
      throw new AgentException("cannot write report queue", e);
    }
    StateFiles.write(dir.resolve(LOG), rest.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void writeMark() throws AgentException {
    ObjectNode n = JSON.createObjectNode().put("queue", queue).put("taken", taken);
    StateFiles.write(dir.resolve(MARK), n.toString().getBytes(StandardCharsets.UTF_8));
  }
}
