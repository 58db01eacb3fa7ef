package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryTest {
  private static final ObjectRef NS = new ObjectRef("v1", "Namespace", "", "shop");
  private static final ObjectRef CONF = new ObjectRef("v1", "ConfigMap", "shop", "conf");
  private static final ObjectRef HPA_OLD = new ObjectRef("autoscaling/v2beta2", "HorizontalPodAutoscaler", "shop", "web");
  private static final ObjectRef HPA_NEW = new ObjectRef("autoscaling/v2", "HorizontalPodAutoscaler", "shop", "web");

  @Test
  void encodedInventoryReadsBackTheSame() {
    Inventory inventory = Inventory.of(List.of(CONF, NS, HPA_NEW));

    assertThat(inventory.encode()).isEqualTo("""
        autoscaling/v2 HorizontalPodAutoscaler shop web
        v1 ConfigMap shop conf
        v1 Namespace - shop
        """);
    assertThat(Inventory.decode(inventory.encode())).isEqualTo(inventory);
  }

  @Test
  void objectsNoLongerRenderedAreThePruneCandidates() {
    assertThat(Inventory.of(List.of(NS, CONF)).notIn(List.of(NS))).containsExactly(CONF);
  }

  @Test
  void anObjectWhoseApiVersionMovedIsNotPruned() {
    assertThat(Inventory.of(List.of(NS, HPA_OLD)).notIn(List.of(NS, HPA_NEW))).isEmpty();
  }

  @Test
  void handEditedLineIsRefusedRatherThanGuessed() {
    assertThatThrownBy(() -> Inventory.decode("v1 ConfigMap conf\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v1 ConfigMap conf");
  }
}
