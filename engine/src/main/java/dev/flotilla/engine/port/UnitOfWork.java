package dev.flotilla.engine.port;

/**
 * One transaction in progress. The engine passes the same unit to several ports (a rollout, its
 * audit entries, its delivery intents) so that one decision is stored whole or not at all; only
 * the adapter that opened it knows what it holds.
 */
public interface UnitOfWork {}
