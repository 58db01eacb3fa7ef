package dev.flotilla.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A site operator's hold on updates ({@code flotilla agent hold}): until {@code until}, the agent
 * installs no new bundle and reports the hold, so the engine shows it and treats the site as
 * pending. Kept in {@code <state>/hold.json}.
 */
public record Hold(Instant until, String reason) {
  static final String FILE = "hold.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public boolean inForce(Instant now) {
    return now.isBefore(until);
  }

  /** The hold written in {@code stateDir}, if any; a hold file that cannot be read holds (fails closed) until fixed. */
  public static Optional<Hold> read(Path stateDir) throws AgentException {
    Path file = stateDir.resolve(FILE);
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(file));
      return Optional.of(new Hold(Instant.parse(n.path("until").asText()), n.path("reason").asText("")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | DateTimeParseException e) {
      throw new AgentException("hold file " + file + " is unreadable: fix or remove it (flotilla agent hold --clear)", e);
    }
  }

  public void write(Path stateDir) throws AgentException {
    ObjectNode n = JSON.createObjectNode().put("until", until.toString()).put("reason", reason);
    StateFiles.write(stateDir.resolve(FILE), n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static void clear(Path stateDir) throws AgentException {
    try {
      Files.deleteIfExists(stateDir.resolve(FILE));
    } catch (IOException e) {
      throw new AgentException("cannot remove " + stateDir.resolve(FILE), e);
    }
  }
}
