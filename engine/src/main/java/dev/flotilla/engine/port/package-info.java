/**
 * The engine's store ports: what the application layer needs from persistence (rollouts, the
 * outbox, site reports, the audit log, approvals, scheduled promotions, releases, sync state and sync attempts),
 * the values they exchange, {@link dev.flotilla.engine.port.UnitOfWork} for writing one decision
 * atomically through several ports, and the one checked exception, {@link
 * dev.flotilla.engine.port.StoreException}. The JDBC adapter in {@code dev.flotilla.store}
 * implements them; nothing here knows JDBC.
 */
package dev.flotilla.engine.port;
