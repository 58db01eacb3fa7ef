package dev.flotilla.delivery.push;

import static dev.flotilla.delivery.push.TestObjects.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApplyOrderTest {

  /** Rows: the objects as rendered (kind:name[:annotations]), and the expected apply order of their names. */
  static Stream<Arguments> table() {
    return Stream.of(
        arguments("namespace first, then config before workloads",
            List.of("Deployment:web", "ConfigMap:conf", "Namespace:shop", "Service:svc", "Secret:creds"),
            List.of("shop", "creds", "conf", "svc", "web")),
        arguments("crds right after namespaces, custom resources last",
            List.of("Widget:w1", "Deployment:web", "CustomResourceDefinition:widgets.example.com", "Namespace:shop"),
            List.of("shop", "widgets.example.com", "web", "w1")),
        arguments("storage before the statefulset that claims it",
            List.of("StatefulSet:pos", "PersistentVolumeClaim:data", "StorageClass:fast"),
            List.of("fast", "data", "pos")),
        arguments("sync wave beats kind order",
            List.of("ConfigMap:late:{flotilla.dev/sync-wave: '2'}", "Deployment:early:{flotilla.dev/sync-wave: '-1'}", "Service:mid"),
            List.of("early", "mid", "late")),
        arguments("argo cd sync wave is read too",
            List.of("Job:migrate:{argocd.argoproj.io/sync-wave: '-5'}", "ConfigMap:conf"),
            List.of("migrate", "conf")),
        arguments("flotilla's wave wins over argo cd's on the same object",
            List.of("Job:migrate:{flotilla.dev/sync-wave: '3', argocd.argoproj.io/sync-wave: '-5'}", "ConfigMap:conf"),
            List.of("conf", "migrate")),
        arguments("namespaces and crds come first whatever their wave",
            List.of("ConfigMap:conf:{flotilla.dev/sync-wave: '-9'}", "Namespace:shop:{flotilla.dev/sync-wave: '4'}"),
            List.of("shop", "conf")),
        arguments("same wave and kind keep the rendered order",
            List.of("ConfigMap:b", "ConfigMap:a", "ConfigMap:c"),
            List.of("b", "a", "c")),
        arguments("unknown kinds after every known kind",
            List.of("Widget:w", "ValidatingWebhookConfiguration:hook", "Ingress:ing"),
            List.of("ing", "hook", "w")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void appliesInOrder(String name, List<String> rendered, List<String> expected) throws ManifestException {
    List<Map<String, Object>> objects = rendered.stream().map(ApplyOrderTest::parse).toList();

    List<String> order = ApplyOrder.sort(objects).stream().map(o -> ObjectRef.of(o).name()).toList();

    assertThat(order).containsExactlyElementsOf(expected);
  }

  @Test
  void syncWaveThatIsNoIntegerIsRejectedNamingObjectAndAnnotation() {
    var objects = List.of(object("v1", "ConfigMap", "shop", "conf", "{flotilla.dev/sync-wave: first}"));

    assertThatThrownBy(() -> ApplyOrder.sort(objects))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("ConfigMap/shop/conf")
        .hasMessageContaining("metadata.annotations[flotilla.dev/sync-wave]")
        .hasMessageContaining("\"first\"");
  }

  @Test
  void badArgoSyncWaveNamesArgoAnnotation() {
    var objects = List.of(object("v1", "ConfigMap", "shop", "conf", "{argocd.argoproj.io/sync-wave: '1.5'}"));

    assertThatThrownBy(() -> ApplyOrder.sort(objects))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("argocd.argoproj.io/sync-wave");
  }

  private static Map<String, Object> parse(String spec) {
    String[] parts = spec.split(":", 3);
    String apiVersion = switch (parts[0]) {
      case "Deployment", "StatefulSet", "DaemonSet" -> "apps/v1";
      case "Widget" -> "example.com/v1";
      case "CustomResourceDefinition" -> "apiextensions.k8s.io/v1";
      default -> "v1";
    };
    boolean clusterScoped = parts[0].equals("Namespace") || parts[0].equals("CustomResourceDefinition") || parts[0].equals("StorageClass");
    return object(apiVersion, parts[0], clusterScoped ? "" : "shop", parts[1], parts.length > 2 ? parts[2] : "");
  }
}
