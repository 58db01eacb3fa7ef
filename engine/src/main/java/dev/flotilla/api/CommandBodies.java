package dev.flotilla.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.view.CommandRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reads the JSON body of a rollout command, strictly: a JSON object (or an empty body) whose fields
 * are among {@code actor}, {@code comment}, {@code wave} and {@code at}, each a string (or null),
 * within its bound. Anything else is a 400 that names the field, so a typo ({@code "actr"}) or a
 * number where a time belongs ({@code "at": 12}) is never read as something nobody meant.
 */
final class CommandBodies {
  static final List<String> FIELDS = List.of("actor", "comment", "wave", "at");
  static final int MAX_ACTOR = 200;
  static final int MAX_COMMENT_BYTES = 4096;
  static final int MAX_WAVE = 253;

  private CommandBodies() {}

  static CommandRequest parse(String body) throws BadRequestException {
    if (body == null || body.isBlank()) return new CommandRequest(null, null, null, null);
    JsonNode json;
    try {
      json = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new BadRequestException("the body must be a JSON object with any of " + FIELDS + "; it is not valid JSON");
    }
    if (json == null || !json.isObject()) {
      throw new BadRequestException("the body must be a JSON object with any of " + FIELDS + ", got " + kind(json));
    }
    for (String field : (Iterable<String>) json::fieldNames) {
      if (!FIELDS.contains(field)) throw new BadRequestException("unknown field '" + shorten(field) + "': expected any of " + FIELDS);
      JsonNode value = json.get(field);
      if (!value.isTextual() && !value.isNull()) {
        throw new BadRequestException("field '" + field + "' must be a string, got " + kind(value));
      }
    }
    String actor = text(json, "actor");
    String comment = text(json, "comment");
    String wave = text(json, "wave");
    if (actor != null && actor.length() > MAX_ACTOR) {
      throw new BadRequestException("field 'actor' must be at most " + MAX_ACTOR + " characters, got " + actor.length());
    }
    if (comment != null && comment.getBytes(StandardCharsets.UTF_8).length > MAX_COMMENT_BYTES) {
      throw new BadRequestException("field 'comment' must be at most 4 KiB (" + MAX_COMMENT_BYTES + " bytes of UTF-8), got "
          + comment.getBytes(StandardCharsets.UTF_8).length);
    }
    if (wave != null && wave.length() > MAX_WAVE) {
      throw new BadRequestException("field 'wave' must be at most " + MAX_WAVE + " characters, got " + wave.length());
    }
    return new CommandRequest(actor, comment, wave, instant(text(json, "at")));
  }

  private static Instant instant(String at) throws BadRequestException {
    if (at == null) return null;
    try {
      return Instant.parse(at);
    } catch (DateTimeParseException e) {
      throw new BadRequestException("field 'at' must be an ISO-8601 instant such as 2026-11-26T02:00:00Z, got '" + shorten(at) + "'");
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return "null";
    if (node.isNumber()) return "a number";
    if (node.isBoolean()) return "a boolean";
    if (node.isArray()) return "an array";
    if (node.isObject()) return "an object";
    return "a string";
  }

  /** At most 80 characters of what was sent, so an error never repeats a huge input. */
  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
