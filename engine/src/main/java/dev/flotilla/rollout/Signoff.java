package dev.flotilla.rollout;

import java.time.Instant;
import java.util.Objects;

/** A person's decision on a rollout, kept for the record: who, when, and what they said. */
public record Signoff(String actor, Instant at, String comment) {
  public Signoff {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
    comment = comment == null ? "" : comment;
  }
}
