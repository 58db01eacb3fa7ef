package dev.flotilla.fleet;

import java.util.Objects;

/** An ordered class of sites (most central first) with its default delivery mode. */
public record Tier(String name, Delivery delivery) {
  public Tier {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(delivery, "delivery");
  }
}
