package dev.flotilla.store;

/** The columns of a stored rollout that say whether a cached copy is current: a pass reads only these for every rollout. */
public record RolloutHead(String id, String app, String state, long version) {}
