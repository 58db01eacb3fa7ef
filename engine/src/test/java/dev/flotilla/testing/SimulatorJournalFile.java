package dev.flotilla.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated sites' journal ({@code simulated-sites.jsonl}) read as an outside observer would:
 * one apply per JSON line, {@code {"site","app","revision","rolloutId","at","health"}}. Every line
 * must parse; the simulator cuts a torn last line when it opens the file, so after a clean stop
 * there is none.
 */
public final class SimulatorJournalFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One apply a simulated site made. */
  public record Apply(String site, String app, String revision, String rolloutId, Instant at, String health) {}

  private SimulatorJournalFile() {}

  public static List<Apply> read(Path file) throws IOException {
    List<Apply> applies = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) continue;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        throw new AssertionError("journal " + file + " line " + number + " is not JSON: " + line, e);
      }
      applies.add(new Apply(node.path("site").asText(), node.path("app").asText(), node.path("revision").asText(),
          node.path("rolloutId").asText(null), Instant.parse(node.path("at").asText()), node.path("health").asText()));
    }
    return applies;
  }
}
