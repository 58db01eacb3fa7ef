package dev.flotilla.api;

/**
 * Who makes a request: the name of their token (the actor recorded for what they do) and its role.
 * {@link #LOCAL} is anyone on a loopback engine that has no token at all (the laptop default).
 */
public record Caller(String name, Role role, boolean authenticated) {
  public static final Caller LOCAL = new Caller("local", Role.ADMIN, false);
}
