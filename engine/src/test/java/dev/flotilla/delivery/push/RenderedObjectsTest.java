package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderedObjectsTest {
  @Test
  void manifestsAreReadWithTheirTypesKept() throws ManifestException {
    var desired = new DesiredState("dc-1", "shop", "abc", List.of(new Manifest("ConfigMap", "shop", "conf", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: conf, namespace: shop}
        data: {store: "0003", enabled: "true"}
        """), new Manifest("Widget", "shop", "w", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {version: 1.10, size: 3}\n")));

    List<Map<String, Object>> objects = RenderedObjects.of(desired);

    assertThat(TestObjects.map(objects.get(0).get("data"))).containsEntry("store", "0003").containsEntry("enabled", "true");
    assertThat(TestObjects.map(objects.get(1).get("spec"))).containsEntry("version", new BigDecimal("1.10")).containsEntry("size", 3);
  }

  @Test
  void brokenManifestIsNamed() {
    var desired = new DesiredState("dc-1", "shop", "abc", List.of(new Manifest("ConfigMap", "shop", "conf", "data: [unclosed\n")));

    assertThatThrownBy(() -> RenderedObjects.of(desired)).isInstanceOf(ManifestException.class).hasMessageContaining("ConfigMap/shop/conf");
  }
}
