package dev.flotilla.delivery.push;

import static dev.flotilla.delivery.push.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyBodyTest {
  private static final String LIVE_DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        labels: {flotilla.dev/app: shop}
        annotations: {flotilla.dev/revision: abc}
        uid: 7d1c
        resourceVersion: "4711"
        generation: 3
        creationTimestamp: "2026-11-30T03:00:00Z"
        managedFields: [{manager: kubectl, operation: Apply}]
      spec:
        replicas: 3
        template: {spec: {containers: [{name: web, image: "web:1.2", resources: {}}], volumes: [{name: tmp, emptyDir: {}}]}}
      status: {replicas: 3}
      """;

  @Test
  void bodyIsTheRenderedObjectWithoutWhatTheServerOwns() {
    Map<String, Object> body = ApplyBody.of(yaml(LIVE_DEPLOYMENT), List.of());

    assertThat(body).isEqualTo(yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {flotilla.dev/app: shop}
          annotations: {flotilla.dev/revision: abc}
        spec:
          replicas: 3
          template: {spec: {containers: [{name: web, image: "web:1.2", resources: {}}], volumes: [{name: tmp, emptyDir: {}}]}}
        """));
  }

  @Test
  void ignoredFieldIsLeftOutOfMatchingKindOnly() {
    var ignored = List.of(new IgnoredField("Deployment", "", "spec.replicas"));

    Map<String, Object> deployment = ApplyBody.of(yaml(LIVE_DEPLOYMENT), ignored);
    Map<String, Object> statefulSet = ApplyBody.of(yaml(LIVE_DEPLOYMENT.replace("kind: Deployment", "kind: StatefulSet")), ignored);

    assertThat(spec(deployment)).doesNotContainKey("replicas").containsKey("template");
    assertThat(spec(statefulSet)).containsEntry("replicas", 3);
  }

  @Test
  void ignoredFieldWithNameAppliesToThatObjectOnly() {
    var ignored = List.of(new IgnoredField("Deployment", "api", "spec.replicas"));

    assertThat(spec(ApplyBody.of(yaml(LIVE_DEPLOYMENT), ignored))).containsEntry("replicas", 3);
  }

  @Test
  void ignoredFieldThatIsAbsentChangesNothing() {
    var ignored = List.of(new IgnoredField("Deployment", "", "spec.strategy.rollingUpdate.maxSurge"));

    assertThat(ApplyBody.of(yaml(LIVE_DEPLOYMENT), ignored)).isEqualTo(ApplyBody.of(yaml(LIVE_DEPLOYMENT), List.of()));
  }

  @Test
  void theRenderedObjectIsNotChanged() {
    Map<String, Object> rendered = yaml(LIVE_DEPLOYMENT);

    ApplyBody.of(rendered, List.of(new IgnoredField("Deployment", "", "spec.replicas")));

    assertThat(rendered).isEqualTo(yaml(LIVE_DEPLOYMENT));
  }

  @Test
  void identityFieldsCannotBeIgnored() {
    assertThatThrownBy(() -> new IgnoredField("Deployment", "", "metadata.name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identity");
    assertThatThrownBy(() -> new IgnoredField("Deployment", "", "spec..replicas"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dotted keys");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> object) {
    return (Map<String, Object>) object.get("spec");
  }
}
