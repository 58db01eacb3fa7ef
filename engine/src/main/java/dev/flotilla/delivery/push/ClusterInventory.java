package dev.flotilla.delivery.push;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Reads and writes an app's {@link Inventory} as the ConfigMap {@code flotilla-inventory-<app>} in
 * one namespace of the site's cluster ({@code flotilla-system} by default), applied with
 * Flotilla's field manager like everything else.
 */
final class ClusterInventory {
  static final String KEY = "objects";
  static final String BLUE_GREEN_KEY = "blueGreen";
  private final String site;
  private final String namespace;

  ClusterInventory(String site, String namespace) {
    this.site = site;
    this.namespace = namespace;
  }

  static String configMapName(String app) {
    return "flotilla-inventory-" + app;
  }

  Inventory read(KubernetesClient client, String app) throws ApplyException {
    ConfigMap cm;
    try {
      cm = client.configMaps().inNamespace(namespace).withName(configMapName(app)).get();
    } catch (KubernetesClientException e) {
      throw ApiErrors.of(site, ref(app).id(), "reading the inventory", e);
    }
    if (cm == null || cm.getData() == null || !cm.getData().containsKey(KEY)) return Inventory.EMPTY;
    Inventory inventory;
    try {
      inventory = Inventory.decode(cm.getData().get(KEY));
    } catch (IllegalArgumentException e) {
      throw new ApplyException(site, ref(app).id(), "data." + KEY, e.getMessage() + "; nothing pruned",
          ApplyException.Cause.INVALID_MANIFEST, e);
    }
    String blueGreen = cm.getData().get(BLUE_GREEN_KEY);
    if (blueGreen == null || blueGreen.isBlank()) return inventory;
    try {
      return inventory.withBlueGreen(BlueGreenState.decode(blueGreen));
    } catch (IllegalArgumentException e) {
      throw new ApplyException(site, ref(app).id(), "data." + BLUE_GREEN_KEY, e.getMessage() + "; nothing switched or deleted",
          ApplyException.Cause.INVALID_MANIFEST, e);
    }
  }

  void write(KubernetesClient client, String app, Inventory inventory) throws ApplyException {
    try {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .fieldManager(KubernetesApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
      ConfigMapBuilder cm = new ConfigMapBuilder()
          .withNewMetadata().withName(configMapName(app)).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/managed-by", "flotilla").addToLabels("flotilla.dev/app", app)
          .endMetadata()
          .addToData(KEY, inventory.encode());
      // Left out when not blue/green: server-side apply then removes a state Flotilla wrote before.
      if (inventory.blueGreen() != null) cm.addToData(BLUE_GREEN_KEY, inventory.blueGreen().encode());
      client.resource(cm.build())
          .fieldManager(KubernetesApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      throw ApiErrors.of(site, ref(app).id(), "writing the inventory", e);
    }
  }

  private ObjectRef ref(String app) {
    return new ObjectRef("v1", "ConfigMap", namespace, configMapName(app));
  }
}
