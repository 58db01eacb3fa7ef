package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact requests a server-side apply sends, pinned against the mock API server in expectation
 * mode (it records every request and answers only what is expected).
 */
class ApplyRequestIT {
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        uid: 7d1c
        resourceVersion: "4711"
        managedFields: [{manager: kubectl, operation: Apply}]
      spec:
        replicas: 2
        template: {spec: {containers: [{name: web, image: "web:1.2"}]}}
      status: {replicas: 2}
      """;

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    server.expect().patch().withPath("/api/v1/namespaces/flotilla-system?fieldManager=flotilla&force=true")
        .andReturn(200, TestObjects.yaml("{apiVersion: v1, kind: Namespace, metadata: {name: flotilla-system}}")).always();
    server.expect().patch().withPath("/api/v1/namespaces/flotilla-system/configmaps/flotilla-inventory-shop?fieldManager=flotilla&force=true")
        .andReturn(200, TestObjects.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: flotilla-inventory-shop, namespace: flotilla-system}}"))
        .always();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void applyIsAnApplyPatchWithFieldManagerFlotillaAndWithoutServerOwnedFields() throws Exception {
    server.expect().patch().withPath("/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=flotilla")
        .andReturn(200, TestObjects.yaml(DEPLOYMENT)).once();

    applier().apply("shop", List.of(TestObjects.yaml(DEPLOYMENT)), ApplySettings.DEFAULTS);

    RecordedRequest apply = requestTo("/apis/apps/v1/namespaces/shop/deployments/web");
    assertThat(apply.getMethod()).isEqualTo("PATCH");
    assertThat(apply.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    assertThat(apply.getPath()).endsWith("?fieldManager=flotilla");
    Map<String, Object> body = TestObjects.yaml(apply.getUtf8Body());
    assertThat(body).containsOnlyKeys("apiVersion", "kind", "metadata", "spec");
    assertThat(TestObjects.map(body.get("metadata"))).containsOnlyKeys("name", "namespace");
    assertThat(body.get("spec")).isEqualTo(TestObjects.yaml(DEPLOYMENT).get("spec"));
  }

  @Test
  void forcedApplySaysForce() throws Exception {
    server.expect().patch().withPath("/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=flotilla&force=true")
        .andReturn(200, TestObjects.yaml(DEPLOYMENT)).once();

    applier().apply("shop", List.of(TestObjects.yaml(DEPLOYMENT)), ApplySettings.DEFAULTS.withForceConflicts(true));

    assertThat(requestTo("/apis/apps/v1/namespaces/shop/deployments/web").getPath()).endsWith("?fieldManager=flotilla&force=true");
  }

  @Test
  void ignoredFieldIsNotSent() throws Exception {
    server.expect().patch().withPath("/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=flotilla")
        .andReturn(200, TestObjects.yaml(DEPLOYMENT)).once();

    applier().apply("shop", List.of(TestObjects.yaml(DEPLOYMENT)),
        ApplySettings.DEFAULTS.withIgnoredFields(List.of(new IgnoredField("Deployment", "", "spec.replicas"))));

    Map<String, Object> body = TestObjects.yaml(requestTo("/apis/apps/v1/namespaces/shop/deployments/web").getUtf8Body());
    assertThat(TestObjects.map(body.get("spec"))).doesNotContainKey("replicas").containsKey("template");
  }

  @Test
  void previewSendsADryRunApplyAndWritesNothing() throws Exception {
    server.expect().patch().withPath("/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=flotilla&dryRun=All")
        .andReturn(200, TestObjects.yaml(DEPLOYMENT)).once();

    ApplyPreview preview = applier().preview("shop", List.of(TestObjects.yaml(DEPLOYMENT)), ApplySettings.DEFAULTS);

    assertThat(preview.created()).extracting(ObjectRef::id).containsExactly("Deployment/shop/web");
    RecordedRequest apply = requestTo("/apis/apps/v1/namespaces/shop/deployments/web?");
    assertThat(apply.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    assertThat(apply.getPath()).endsWith("?fieldManager=flotilla&dryRun=All");
    RecordedRequest next;
    while ((next = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      assertThat(next.getMethod()).as("nothing but reads after the dry run: " + next.getPath()).isEqualTo("GET");
    }
  }

  private KubernetesApplier applier() {
    return new KubernetesApplier("dc-1", client, KubernetesApplier.DEFAULT_INVENTORY_NAMESPACE, d -> {}, Duration.ofMillis(10));
  }

  private RecordedRequest requestTo(String path) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(1, TimeUnit.SECONDS)) != null) {
      seen.add(r.getMethod() + " " + r.getPath());
      if (r.getPath().startsWith(path)) return r;
    }
    throw new AssertionError("no request to " + path + "; requests were " + seen);
  }
}
