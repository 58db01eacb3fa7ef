package dev.flotilla.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's memory across a kill of its JVM: one JSON line per apply, {@code
 * {"site","app","revision","rolloutId","at","health"}}, forced to disk before the apply's report
 * becomes visible. A crash can tear the last line; opening the journal drops such a line with a
 * warning and cuts the file back to the last whole line, so later appends stay parseable. A bad
 * line anywhere else is corruption and fails the open.
 */
final class ApplyJournal implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyJournal.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final Path file;
  private final FileChannel channel;

  private ApplyJournal(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (or creates) the journal and adds every apply it holds to {@code replayed}, in order. */
  static ApplyJournal open(Path file, List<AppliedRelease> replayed) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      long whole = replay(file, Files.readAllBytes(file), replayed);
      if (whole < channel.size()) {
        channel.truncate(whole);
        channel.force(true);
      }
      channel.position(whole);
      return new ApplyJournal(file, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Parses the lines; returns the length of the file up to the end of its last whole line. */
  private static long replay(Path file, byte[] bytes, List<AppliedRelease> replayed) throws IOException {
    int start = 0;
    int lineNumber = 0;
    while (start < bytes.length) {
      lineNumber++;
      int end = indexOf(bytes, (byte) '\n', start);
      boolean last = end < 0 || end == bytes.length - 1;
      String line = new String(bytes, start, (end < 0 ? bytes.length : end) - start, StandardCharsets.UTF_8);
      try {
        if (end < 0) throw new IllegalArgumentException("no line end");
        if (!line.isBlank()) replayed.add(parse(line));
      } catch (IllegalArgumentException e) {
        if (!last) {
          throw new IOException("simulator journal " + file + " line " + lineNumber + " is corrupt: " + e.getMessage());
        }
        LOG.warn("simulator journal {}: ignoring torn last line {} ({} bytes): {}", file, lineNumber,
            line.length(), e.getMessage());
        return start;
      }
      start = end + 1;
    }
    return start;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) return i;
    }
    return -1;
  }

  static AppliedRelease parse(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) throw new IllegalArgumentException("not a JSON object");
    try {
      return new AppliedRelease(text(node, "site"), text(node, "app"), text(node, "revision"),
          node.path("rolloutId").isTextual() ? node.get("rolloutId").asText() : null,
          Instant.parse(text(node, "at")), Health.valueOf(text(node, "health")));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field 'at' is not an instant: " + e.getParsedString());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) throw new IllegalArgumentException("field '" + field + "' is missing");
    return value.asText();
  }

  static String format(AppliedRelease applied) {
    ObjectNode node = JSON.createObjectNode();
    node.put("site", applied.site());
    node.put("app", applied.app());
    node.put("revision", applied.revision());
    node.put("rolloutId", applied.rolloutId());
    node.put("at", applied.at().toString());
    node.put("health", applied.health().name());
    return node.toString();
  }

  /** Appends the applies, one line each, and forces them to disk before returning. */
  synchronized void append(List<AppliedRelease> applies) {
    if (applies.isEmpty()) return;
    StringBuilder lines = new StringBuilder(applies.size() * 160);
    for (AppliedRelease a : applies) lines.append(format(a)).append('\n');
    ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
    try {
      while (buffer.hasRemaining()) channel.write(buffer);
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("could not append " + applies.size() + " applies to the simulator journal " + file, e);
    }
  }

  Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
