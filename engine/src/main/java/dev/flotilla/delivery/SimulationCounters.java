package dev.flotilla.delivery;

/**
 * What a {@link SimulatedDelivery} has done so far, for benchmarks. {@code deliveries} counts the
 * calls that changed what a site will run; {@code duplicateDeliveries} the ones that changed
 * nothing; {@code unreachable} the ones refused because a push site was offline; {@code applies}
 * every apply a site did, {@code failedApplies} of them the failed ones.
 */
public record SimulationCounters(
    long deliveries, long duplicateDeliveries, long unreachable, long applies, long failedApplies) {}
