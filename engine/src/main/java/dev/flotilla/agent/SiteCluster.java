package dev.flotilla.agent;

import dev.flotilla.delivery.push.ApplyException;
import dev.flotilla.health.Verdict;
import java.util.List;
import java.util.Map;

/** The agent's local cluster: where it applies an app's objects and reads their health back. */
public interface SiteCluster {
  void apply(String app, List<Map<String, Object>> objects) throws ApplyException;

  Verdict health(String app) throws ApplyException;

  /** True when any of {@code objects} differs on the cluster from what was applied (or is missing). */
  boolean drifted(List<Map<String, Object>> objects) throws ApplyException;
}
