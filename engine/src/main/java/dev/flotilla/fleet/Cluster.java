package dev.flotilla.fleet;

/**
 * How a push site's Kubernetes API is reached: a kubeconfig path (on the engine's machine) and a
 * context in it. Never a credential: the fleet repo is readable by many.
 */
public record Cluster(String kubeconfig, String context) {}
