package dev.flotilla.agent;

import dev.flotilla.delivery.push.ApplyException;
import dev.flotilla.delivery.push.ApplySettings;
import dev.flotilla.delivery.push.KubernetesApplier;
import dev.flotilla.delivery.push.Pause;
import dev.flotilla.health.Verdict;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The site's cluster through push delivery's own apply and health code ({@link KubernetesApplier}). */
public final class KubernetesSiteCluster implements SiteCluster {
  private final KubernetesApplier applier;
  private final ApplySettings settings;

  public KubernetesSiteCluster(String site, KubernetesClient client, ApplySettings settings) {
    this.applier = new KubernetesApplier(site, client, KubernetesApplier.DEFAULT_INVENTORY_NAMESPACE, Pause.SLEEP, Duration.ofSeconds(1));
    this.settings = settings;
  }

  @Override
  public void apply(String app, List<Map<String, Object>> objects) throws ApplyException {
    applier.apply(app, objects, settings);
  }

  @Override
  public Verdict health(String app) throws ApplyException {
    return applier.health(app);
  }

  @Override
  public boolean drifted(List<Map<String, Object>> objects) throws ApplyException {
    return !applier.drift(objects, settings).isEmpty();
  }
}
