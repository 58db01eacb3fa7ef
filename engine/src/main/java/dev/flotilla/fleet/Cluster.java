package dev.flotilla.fleet;

/**
 * How a push site's Kubernetes API is reached: a kubeconfig path (on the engine's machine) and a
 * context in it, or, for the site whose cluster the engine itself runs in, {@code inCluster}: the
 * engine pod's own service account. Never a credential: the fleet repo is readable by many.
 */
public record Cluster(String kubeconfig, String context, boolean inCluster) {
  /** The cluster the engine runs in, reached with its pod's service account. */
  public static final Cluster IN_CLUSTER = new Cluster(null, null, true);

  public Cluster(String kubeconfig, String context) {
    this(kubeconfig, context, false);
  }
}
