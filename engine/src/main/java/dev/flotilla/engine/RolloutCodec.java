package dev.flotilla.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.rollout.Rollout;

/**
 * A rollout's snapshot as the JSON body the store keeps: the record components, so
 * the JSON is exactly the snapshot; unknown fields fail the read, so a body written by a newer
 * engine is not silently half-read.
 */
public final class RolloutCodec {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private RolloutCodec() {}

  public static String encode(Rollout rollout) {
    try {
      return JSON.writeValueAsString(rollout);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("rollout " + rollout.id() + " cannot be written as JSON", e);
    }
  }

  public static Rollout decode(String id, String body) {
    try {
      return JSON.readValue(body, Rollout.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored rollout " + id + " cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}
