package dev.flotilla.delivery.push;

import static dev.flotilla.delivery.push.TestObjects.map;
import static dev.flotilla.delivery.push.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.flotilla.health.HealthStatus;
import dev.flotilla.health.Verdict;
import dev.flotilla.testing.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The applier against one simulated site: fabric8's CRUD mock API server taught server-side apply. */
class KubernetesApplierIT {
  private static final String NS = "/api/v1/namespaces/shop";
  private static final String CONF = "/api/v1/namespaces/shop/configmaps/conf";
  private static final String WEB = "/apis/apps/v1/namespaces/shop/deployments/web";
  private static final String CRD = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com";
  private static final String WIDGET = "/apis/example.com/v1/namespaces/shop/widgets/w1";

  private final MockCluster cluster = new MockCluster();
  private final KubernetesApplier applier = applierFor(cluster.client());

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void appliesNamespaceThenConfigThenWorkloadAsFieldManagerFlotilla() throws ApplyException {
    ApplyResult result = applier.apply("shop", List.of(deployment("web", 2), configMap("conf", ""), namespace()), ApplySettings.DEFAULTS);

    assertThat(result.applied()).extracting(ObjectRef::id)
        .containsExactly("Namespace//shop", "ConfigMap/shop/conf", "Deployment/shop/web");
    assertThat(applyPatches()).containsExactly(NS, CONF, WEB);
    assertThat(live(WEB)).extracting(o -> map(o.get("spec")).get("replicas")).isEqualTo(2);
    assertThat(cluster.api().managerOf(WEB, "spec.replicas")).isEqualTo("flotilla");
  }

  @Test
  void reapplyingUpdatesTheLiveObject() throws ApplyException {
    applier.apply("shop", List.of(namespace(), deployment("web", 2)), ApplySettings.DEFAULTS);

    applier.apply("shop", List.of(namespace(), deployment("web", 4)), ApplySettings.DEFAULTS);

    assertThat(map(live(WEB).get("spec")).get("replicas")).isEqualTo(4);
  }

  @Test
  void customResourceWaitsUntilItsCrdIsEstablished() throws ApplyException {
    cluster.api().establishCrdsAfterReads(3);

    applier.apply("shop", List.of(widget(), namespace(), crd()), ApplySettings.DEFAULTS);

    List<String> requests = cluster.api().requests();
    int establishedRead = nthIndexOf(requests, "GET " + CRD, 3);
    int widgetApply = indexOfStart(requests, "PATCH " + WIDGET);
    assertThat(establishedRead).as("third read of the CRD, when it is established").isGreaterThan(0);
    assertThat(widgetApply).as(requests.toString()).isGreaterThan(establishedRead);
    assertThat(live(WIDGET)).isNotNull();
  }

  @Test
  void crdNeverEstablishedFailsNamingItAndAppliesNoCustomResource() {
    cluster.api().establishCrdsAfterReads(Integer.MAX_VALUE);

    assertThatThrownBy(() -> applier.apply("shop", List.of(namespace(), crd(), widget()),
            ApplySettings.DEFAULTS.withCrdTimeout(Duration.ofMillis(50))))
        .asInstanceOf(type(ApplyException.class))
        .satisfies(e -> {
          assertThat(e.cause()).isEqualTo(ApplyException.Cause.TIMEOUT);
          assertThat(e.object()).isEqualTo("CustomResourceDefinition//widgets.example.com");
          assertThat(e.reason()).contains("not established").contains("Widget/shop/w1");
        });
    assertThat(applyPatches()).doesNotContain(WIDGET);
  }

  @Test
  void objectThatLeftGitIsPrunedAndLeavesTheInventory() throws ApplyException {
    applier.apply("shop", List.of(namespace(), configMap("conf", ""), deployment("web", 1)), ApplySettings.DEFAULTS);

    ApplyResult second = applier.apply("shop", List.of(namespace(), deployment("web", 1)), ApplySettings.DEFAULTS);

    assertThat(second.pruned()).extracting(ObjectRef::id).containsExactly("ConfigMap/shop/conf");
    assertThat(live(CONF)).isNull();
    assertThat(live(WEB)).isNotNull();
    assertThat(inventory()).doesNotContain("conf").contains("Deployment shop web");
  }

  @Test
  void objectAnnotatedPruneFalseIsKept() throws ApplyException {
    applier.apply("shop", List.of(namespace(), configMap("conf", "{flotilla.dev/prune: 'false'}"), deployment("web", 1)),
        ApplySettings.DEFAULTS);

    ApplyResult second = applier.apply("shop", List.of(namespace(), deployment("web", 1)), ApplySettings.DEFAULTS);

    assertThat(second.pruned()).isEmpty();
    assertThat(second.kept()).extracting(ObjectRef::id).containsExactly("ConfigMap/shop/conf");
    assertThat(live(CONF)).isNotNull();
  }

  @Test
  void emptyRenderPrunesNothingUnlessAllowed() throws ApplyException {
    applier.apply("shop", List.of(namespace(), configMap("conf", "")), ApplySettings.DEFAULTS);

    assertThatThrownBy(() -> applier.apply("shop", List.of(), ApplySettings.DEFAULTS))
        .asInstanceOf(type(ApplyException.class))
        .satisfies(e -> {
          assertThat(e.cause()).isEqualTo(ApplyException.Cause.EMPTY_RENDER);
          assertThat(e.reason()).contains("empty").contains("2 objects").contains("allowEmpty");
        });
    assertThat(live(CONF)).isNotNull();

    ApplyResult allowed = applier.apply("shop", List.of(), ApplySettings.DEFAULTS.withAllowEmpty(true));

    assertThat(allowed.pruned()).extracting(ObjectRef::id).containsExactly("ConfigMap/shop/conf", "Namespace//shop");
    assertThat(live(CONF)).isNull();
  }

  @Test
  void conflictWithAnotherFieldManagerNamesItAndChangesNothing() throws ApplyException {
    applier.apply("shop", List.of(namespace()), ApplySettings.DEFAULTS);
    cluster.client().resource(cluster.client().getKubernetesSerialization()
            .unmarshal(TestObjects.json(deployment("web", 5)), io.fabric8.kubernetes.api.model.apps.Deployment.class))
        .fieldManager("kubectl").serverSideApply();

    assertThatThrownBy(() -> applier.apply("shop", List.of(namespace(), deployment("web", 2)), ApplySettings.DEFAULTS))
        .asInstanceOf(type(ApplyException.class))
        .satisfies(e -> {
          assertThat(e.cause()).isEqualTo(ApplyException.Cause.CONFLICT);
          assertThat(e.object()).isEqualTo("Deployment/shop/web");
          assertThat(e.field()).isEqualTo(".spec.replicas");
          assertThat(e.reason()).contains("\"kubectl\"").contains("forceConflicts");
        });
    assertThat(map(live(WEB).get("spec")).get("replicas")).isEqualTo(5);
  }

  @Test
  void forcedApplyTakesTheFieldOver() throws ApplyException {
    applier.apply("shop", List.of(namespace()), ApplySettings.DEFAULTS);
    cluster.client().resource(cluster.client().getKubernetesSerialization()
            .unmarshal(TestObjects.json(deployment("web", 5)), io.fabric8.kubernetes.api.model.apps.Deployment.class))
        .fieldManager("kubectl").serverSideApply();

    applier.apply("shop", List.of(namespace(), deployment("web", 2)), ApplySettings.DEFAULTS.withForceConflicts(true));

    assertThat(map(live(WEB).get("spec")).get("replicas")).isEqualTo(2);
    assertThat(cluster.api().managerOf(WEB, "spec.replicas")).isEqualTo("flotilla");
  }

  @Test
  void fieldLeftToAnotherControllerIsNoConflict() throws ApplyException {
    applier.apply("shop", List.of(namespace()), ApplySettings.DEFAULTS);
    cluster.client().resource(cluster.client().getKubernetesSerialization()
            .unmarshal(TestObjects.json(deployment("web", 5)), io.fabric8.kubernetes.api.model.apps.Deployment.class))
        .fieldManager("horizontal-pod-autoscaler").serverSideApply();

    applier.apply("shop", List.of(namespace(), deployment("web", 2)),
        ApplySettings.DEFAULTS.withIgnoredFields(List.of(new IgnoredField("Deployment", "", "spec.replicas"))));

    assertThat(map(live(WEB).get("spec")).get("replicas")).isEqualTo(5);
    assertThat(cluster.api().managerOf(WEB, "spec.replicas")).isEqualTo("horizontal-pod-autoscaler");
  }

  @Test
  void refusedObjectFailsTheSiteWithTheServersMessageAndForgetsNothing() throws ApplyException {
    applier.apply("shop", List.of(namespace(), configMap("old", "")), ApplySettings.DEFAULTS);
    cluster.api().refuseApplies(p -> p.equals(WEB),
        "Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value",
        "spec.template.spec.containers[0].image");

    assertThatThrownBy(() -> applier.apply("shop",
            List.of(namespace(), configMap("conf", ""), deployment("web", 1), service("svc")), ApplySettings.DEFAULTS))
        .asInstanceOf(type(ApplyException.class))
        .satisfies(e -> {
          assertThat(e.cause()).isEqualTo(ApplyException.Cause.REJECTED);
          assertThat(e.site()).isEqualTo("dc-1");
          assertThat(e.object()).isEqualTo("Deployment/shop/web");
          assertThat(e.field()).isEqualTo("spec.template.spec.containers[0].image");
          assertThat(e.getMessage()).contains("dc-1", "Deployment/shop/web", "Required value", "422");
          assertThat(e.retryable()).isFalse();
        });
    assertThat(live("/api/v1/namespaces/shop/configmaps/old")).as("nothing pruned after a failure").isNotNull();
    assertThat(inventory()).contains("ConfigMap shop old", "ConfigMap shop conf", "Service shop svc", "Namespace - shop")
        .doesNotContain("Deployment");
  }

  @Test
  void aFailedSiteLeavesTheOtherSitesOfTheWaveAlone() throws ApplyException {
    try (MockCluster other = new MockCluster()) {
      cluster.api().refuseApplies(p -> p.equals(WEB), "Deployment.apps \"web\" is invalid: spec.selector: Required value", "spec.selector");
      List<Map<String, Object>> release = List.of(namespace(), deployment("web", 1));

      assertThatThrownBy(() -> applier.apply("shop", release, ApplySettings.DEFAULTS)).isInstanceOf(ApplyException.class);
      ApplyResult atOther = applierFor(other.client()).apply("shop", release, ApplySettings.DEFAULTS);

      assertThat(atOther.applied()).hasSize(2);
      assertThat(live(WEB)).isNull();
      assertThat(other.client().apps().deployments().inNamespace("shop").withName("web").get()).isNotNull();
    }
  }

  @Test
  void previewSaysWhatWouldBeCreatedChangedAndDeletedAndChangesNothing() throws ApplyException {
    applier.apply("shop", List.of(namespace(), configMap("conf", ""), deployment("web", 2)), ApplySettings.DEFAULTS);
    int before = cluster.api().requests().size();

    ApplyPreview preview = applier.preview("shop", List.of(namespace(), deployment("web", 3), service("svc")), ApplySettings.DEFAULTS);

    assertThat(preview.created()).extracting(ObjectRef::id).containsExactly("Service/shop/svc");
    assertThat(preview.changed()).hasSize(1);
    assertThat(preview.changed().get(ObjectRef.of(deployment("web", 3)))).map(Object::toString)
        .containsExactly("spec.replicas: want 3, live 2");
    assertThat(preview.unchanged()).extracting(ObjectRef::id).containsExactly("Namespace//shop");
    assertThat(preview.deleted()).extracting(ObjectRef::id).containsExactly("ConfigMap/shop/conf");
    List<String> sent = cluster.api().requests().subList(before, cluster.api().requests().size());
    assertThat(sent).filteredOn(r -> !r.startsWith("GET ")).allMatch(r -> r.startsWith("PATCH ") && r.contains("dryRun=All"), "dry runs only");
    assertThat(map(live(WEB).get("spec")).get("replicas")).isEqualTo(2);
    assertThat(live(CONF)).isNotNull();
    assertThat(live("/api/v1/namespaces/shop/services/svc")).isNull();
  }

  @Test
  void previewReportsAConflictAsAnApplyWould() throws ApplyException {
    applier.apply("shop", List.of(namespace()), ApplySettings.DEFAULTS);
    cluster.client().resource(cluster.client().getKubernetesSerialization()
            .unmarshal(TestObjects.json(deployment("web", 5)), io.fabric8.kubernetes.api.model.apps.Deployment.class))
        .fieldManager("kubectl").serverSideApply();

    assertThatThrownBy(() -> applier.preview("shop", List.of(namespace(), deployment("web", 2)), ApplySettings.DEFAULTS))
        .asInstanceOf(type(ApplyException.class))
        .satisfies(e -> assertThat(e.reason()).contains("\"kubectl\""));
  }

  @Test
  void unreachableApiServerIsRetryableAndSaysSo() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (KubernetesClient client = MockCluster.clientFor("http://127.0.0.1:" + closedPort + "/")) {
      long started = System.nanoTime();

      assertThatThrownBy(() -> applierFor(client).apply("shop", List.of(namespace()), ApplySettings.DEFAULTS))
          .asInstanceOf(type(ApplyException.class))
          .satisfies(e -> {
            assertThat(e.cause()).isEqualTo(ApplyException.Cause.UNREACHABLE);
            assertThat(e.retryable()).isTrue();
            assertThat(e.reason()).contains("unreachable");
          });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("fails fast; retrying is the worker's job")
          .isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void healthReadsOnlyTheAppliedObjectsAndIsTheWorst() throws ApplyException {
    applier.apply("shop", List.of(namespace(), configMap("conf", ""), deployment("web", 2)), ApplySettings.DEFAULTS);
    int before = cluster.api().requests().size();

    Verdict rolling = applier.health("shop");

    assertThat(rolling.status()).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(rolling.reason()).startsWith("Deployment/shop/web: ");
    assertThat(cluster.api().requests().subList(before, cluster.api().requests().size()))
        .containsExactlyInAnyOrder("GET /api/v1/namespaces/flotilla-system/configmaps/flotilla-inventory-shop",
            "GET " + NS, "GET " + CONF, "GET " + WEB);

    cluster.api().setStatus(WEB, "{observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2}");
    assertThat(applier.health("shop").status()).isEqualTo(HealthStatus.HEALTHY);

    cluster.client().configMaps().inNamespace("shop").withName("conf").delete();
    assertThat(applier.health("shop")).isEqualTo(Verdict.degraded("ConfigMap/shop/conf: missing from the cluster"));
  }

  @Test
  void driftIsTheFieldsChangedOnTheClusterAndAMissingObject() throws ApplyException {
    List<Map<String, Object>> desired = List.of(namespace(), configMap("conf", ""), deployment("web", 2));
    applier.apply("shop", desired, ApplySettings.DEFAULTS);
    assertThat(applier.drift(desired, ApplySettings.DEFAULTS)).isEmpty();

    cluster.client().apps().deployments().inNamespace("shop").withName("web").scale(7);
    cluster.client().configMaps().inNamespace("shop").withName("conf").delete();

    Map<ObjectRef, List<dev.flotilla.drift.FieldDrift>> drift = applier.drift(desired, ApplySettings.DEFAULTS);
    assertThat(drift).hasSize(2);
    assertThat(drift.get(ObjectRef.of(deployment("web", 2)))).map(Object::toString).containsExactly("spec.replicas: want 2, live 7");
    assertThat(drift).containsKey(ObjectRef.of(configMap("conf", "")));
    assertThat(applier.drift(desired, ApplySettings.DEFAULTS.withIgnoredFields(List.of(new IgnoredField("Deployment", "", "spec.replicas")))))
        .containsOnlyKeys(ObjectRef.of(configMap("conf", "")));
  }

  private static KubernetesApplier applierFor(KubernetesClient client) {
    return new KubernetesApplier("dc-1", client, KubernetesApplier.DEFAULT_INVENTORY_NAMESPACE, d -> {}, Duration.ofMillis(10));
  }

  private List<String> applyPatches() {
    return cluster.api().requests().stream()
        .filter(r -> r.startsWith("PATCH ") && r.contains("fieldManager=flotilla") && !r.contains("flotilla-system"))
        .map(r -> r.substring("PATCH ".length(), r.indexOf('?')))
        .toList();
  }

  private Map<String, Object> live(String path) {
    try {
      String json = cluster.client().raw(cluster.url() + path.substring(1));
      return json == null ? null : yaml(json);
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() == 404) return null;
      throw e;
    }
  }

  private String inventory() {
    return String.valueOf(map(live("/api/v1/namespaces/flotilla-system/configmaps/flotilla-inventory-shop").get("data")).get("objects"));
  }

  private static int nthIndexOf(List<String> list, String value, int n) {
    int seen = 0;
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).equals(value) && ++seen == n) return i;
    }
    return -1;
  }

  private static int indexOfStart(List<String> list, String prefix) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).startsWith(prefix)) return i;
    }
    return -1;
  }

  private static Map<String, Object> namespace() {
    return yaml("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}");
  }

  private static Map<String, Object> configMap(String name, String annotations) {
    return yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: " + name + ", namespace: shop"
        + (annotations.isEmpty() ? "" : ", annotations: " + annotations) + "}, data: {a: b}}");
  }

  private static Map<String, Object> service(String name) {
    return yaml("{apiVersion: v1, kind: Service, metadata: {name: " + name + ", namespace: shop}, spec: {ports: [{port: 80}]}}");
  }

  private static Map<String, Object> deployment(String name, int replicas) {
    return yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: " + name + ", namespace: shop}, spec: {replicas: " + replicas
        + ", selector: {matchLabels: {app: " + name + "}}, template: {metadata: {labels: {app: " + name + "}},"
        + " spec: {containers: [{name: " + name + ", image: 'web:1.2'}]}}}}");
  }

  private static Map<String, Object> crd() {
    return yaml("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
          versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
        """);
  }

  private static Map<String, Object> widget() {
    return yaml("{apiVersion: example.com/v1, kind: Widget, metadata: {name: w1, namespace: shop}, spec: {size: 3}}");
  }
}
