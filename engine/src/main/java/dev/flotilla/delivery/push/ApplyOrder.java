package dev.flotilla.delivery.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which one app's objects are applied to a site: Namespaces, then
 * CustomResourceDefinitions (so that everything after them has somewhere to go), then by sync wave
 * ({@value #SYNC_WAVE}, or Argo CD's {@value #ARGO_SYNC_WAVE} so existing apps keep their order;
 * integers, lowest first, 0 when absent), then by kind (configuration and storage before the
 * workloads that mount them, Helm's install order), then as rendered. Pruning deletes in the
 * reverse order.
 */
public final class ApplyOrder {
  public static final String SYNC_WAVE = "flotilla.dev/sync-wave";
  public static final String ARGO_SYNC_WAVE = "argocd.argoproj.io/sync-wave";

  /** Helm's install order; kinds not listed (custom resources among them) come after all of these. */
  static final List<String> KIND_ORDER = List.of(
      "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
      "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
      "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
      "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
      "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
      "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");

  private ApplyOrder() {}

  private record Ranked(Map<String, Object> object, int phase, int wave, int kindRank, int position) {}

  /**
   * The objects in apply order; the input is left as is.
   *
   * @throws ManifestException when a sync-wave annotation is not an integer, naming the object
   */
  public static List<Map<String, Object>> sort(List<Map<String, Object>> objects) throws ManifestException {
    List<Ranked> ranked = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      Map<String, Object> o = objects.get(i);
      String kind = ObjectRef.of(o).kind();
      int phase = switch (kind) {
        case "Namespace" -> 0;
        case "CustomResourceDefinition" -> 1;
        default -> 2;
      };
      int kindRank = KIND_ORDER.indexOf(kind);
      ranked.add(new Ranked(o, phase, wave(o), kindRank < 0 ? KIND_ORDER.size() : kindRank, i));
    }
    ranked.sort(Comparator.comparingInt(Ranked::phase).thenComparingInt(Ranked::wave)
        .thenComparingInt(Ranked::kindRank).thenComparingInt(Ranked::position));
    return ranked.stream().map(Ranked::object).toList();
  }

  /** The object's sync wave: Flotilla's annotation if present, else Argo CD's, else 0. */
  static int wave(Map<String, ?> object) throws ManifestException {
    Map<?, ?> annotations = object.get("metadata") instanceof Map<?, ?> m && m.get("annotations") instanceof Map<?, ?> a ? a : Map.of();
    String key = annotations.containsKey(SYNC_WAVE) ? SYNC_WAVE : ARGO_SYNC_WAVE;
    Object value = annotations.get(key);
    if (value == null) return 0;
    String text = String.valueOf(value).trim();
    try {
      return Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
    } catch (NumberFormatException e) {
      throw new ManifestException(ObjectRef.of(object).id(), "metadata.annotations[" + key + "]",
          "sync wave must be an integer (like \"-1\", \"0\" or \"5\"), got \"" + value + "\"");
    }
  }
}
