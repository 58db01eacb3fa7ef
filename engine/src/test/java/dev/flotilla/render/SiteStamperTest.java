package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.fleet.Site;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteStamperTest {
  private static final String REVISION = "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49";
  private static final String OUTPUT = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: v1
      data:
        greeting: hello
      kind: ConfigMap
      metadata:
        labels:
          app: pos
          zz-last: "true"
        name: pos-config
        namespace: shop
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        annotations:
          team: retail
        name: pos
        namespace: shop
      spec:
        replicas: 2
        template:
          spec:
            containers:
            - env:
              - name: STORE
                value: "${STORE_ID}"
              image: pos:1.0
              name: pos
      """;

  private final Site store = Sites.site("store-0001", "pop", Map.of("STORE_ID", "s-0001"));

  @Test
  void everyObjectGetsTheSiteAppAndTierLabelsAndTheRevisionAnnotation() throws Exception {
    DesiredState state = SiteStamper.stamp(OUTPUT, store, "pos", REVISION);

    assertThat(state.manifests()).hasSize(3).allSatisfy(m -> {
      JsonNode metadata = ManifestYaml.MAPPER.readTree(m.yaml()).path("metadata");
      assertThat(metadata.path("labels").path("flotilla.dev/site").asText()).isEqualTo("store-0001");
      assertThat(metadata.path("labels").path("flotilla.dev/app").asText()).isEqualTo("pos");
      assertThat(metadata.path("labels").path("flotilla.dev/tier").asText()).isEqualTo("pop");
      assertThat(metadata.path("annotations").path("flotilla.dev/revision").asText()).isEqualTo(REVISION);
    });
  }

  @Test
  void existingLabelsAndAnnotationsAreKeptAndAddedOnesTakeTheirSortedPlace() throws Exception {
    String yaml = SiteStamper.stamp(OUTPUT, store, "pos", REVISION).manifests().get(1).yaml();

    assertThat(yaml).isEqualTo("""
        apiVersion: v1
        data:
          greeting: hello
        kind: ConfigMap
        metadata:
          annotations:
            flotilla.dev/revision: %s
          labels:
            app: pos
            flotilla.dev/app: pos
            flotilla.dev/site: store-0001
            flotilla.dev/tier: pop
            zz-last: "true"
          name: pos-config
          namespace: shop
        """.formatted(REVISION));
  }

  @Test
  void stampingTheSameInputsTwiceGivesByteIdenticalYaml() throws Exception {
    String first = SiteStamper.stamp(OUTPUT, store, "pos", REVISION).yaml();
    String second = SiteStamper.stamp(OUTPUT, store, "pos", REVISION).yaml();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void writingOnlyTheMetadataPerSiteGivesTheSameBytesAsWritingTheWholeObject() throws Exception {
    RenderedOverlay overlay = RenderedOverlay.parse("pos", "apps/pos/overlays/pop", OUTPUT + """
        ---
        kind: Secret
        ---
        metadata:
          name: only-metadata
        """);

    DesiredState state = SiteStamper.stamp(overlay, store, REVISION);

    for (int i = 0; i < overlay.objects().size(); i++) {
      String whole = ManifestYaml.WRITER.writeValueAsString(
          SiteStamper.stamped(overlay.objects().get(i).tree(), store, "pos", REVISION));
      if (!overlay.objects().get(i).hasVariables()) assertThat(state.manifests().get(i).yaml()).isEqualTo(whole);
    }
  }

  @Test
  void manifestsKeepKustomizeOrderAndAreIdentifiedByKindNamespaceAndName() throws Exception {
    DesiredState state = SiteStamper.stamp(OUTPUT, store, "pos", REVISION);

    assertThat(state.manifests()).extracting(Manifest::id)
        .containsExactly("Namespace//shop", "ConfigMap/shop/pos-config", "Deployment/shop/pos");
    assertThat(state.manifests().get(0).namespace()).isEmpty();
    assertThat(state.site()).isEqualTo("store-0001");
    assertThat(state.app()).isEqualTo("pos");
    assertThat(state.revision()).isEqualTo(REVISION);
  }

  @Test
  void desiredStateYamlIsAMultiDocumentStream() throws Exception {
    DesiredState state = SiteStamper.stamp(OUTPUT, store, "pos", REVISION);

    assertThat(state.yaml().split("(?m)^---$")).hasSize(3);
    assertThat(state.yaml()).doesNotStartWith("---").endsWith("name: pos\n");
  }

  @Test
  void siteValuesAreSubstitutedBeforeStamping() throws Exception {
    String yaml = SiteStamper.stamp(OUTPUT, store, "pos", REVISION).manifests().get(2).yaml();

    assertThat(yaml).contains("value: s-0001").doesNotContain("${");
  }

  @Test
  void builtInSiteNameAndTierCanBeUsedAndWinOverSiteValuesOfTheSameName() throws Exception {
    Site site = Sites.site("store-0002", "edge", Map.of("SITE_NAME", "impostor"));
    String output = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cfg-${SITE_NAME}
        data:
          tier: ${SITE_TIER}
        """;

    Manifest manifest = SiteStamper.stamp(output, site, "pos", REVISION).manifests().get(0);

    assertThat(manifest.name()).isEqualTo("cfg-store-0002");
    assertThat(manifest.yaml()).contains("tier: edge");
  }

  @Test
  void defaultIsUsedWhenTheSiteHasNoValue() throws Exception {
    String output = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  level: ${LOG_LEVEL:=info}\n";

    assertThat(SiteStamper.stamp(output, store, "pos", REVISION).yaml()).contains("level: info");
  }

  @Test
  void escapedReferenceStaysLiteral() throws Exception {
    String output = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  script: echo $${HOME}\n";

    String yaml = SiteStamper.stamp(output, store, "pos", REVISION).yaml();

    assertThat(ManifestYaml.MAPPER.readTree(yaml).path("data").path("script").asText()).isEqualTo("echo ${HOME}");
  }

  @Test
  void anObjectAnnotatedSubstituteDisabledIsLeftAsItIs() throws Exception {
    String output = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: script
          annotations:
            flotilla.dev/substitute: disabled
        data:
          run.sh: echo ${FRONTEND#http://} ${UNDEFINED} $${X}
        """;

    String yaml = SiteStamper.stamp(output, store, "pos", REVISION).yaml();

    assertThat(ManifestYaml.MAPPER.readTree(yaml).path("data").path("run.sh").asText())
        .isEqualTo("echo ${FRONTEND#http://} ${UNDEFINED} $${X}");
  }

  @Test
  void aShellFormIsRefusedWithTheWaysOut() {
    String output = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  run.sh: echo ${FRONTEND#http://}\n";

    assertThatThrownBy(() -> SiteStamper.stamp(output, store, "pos", REVISION))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("object ConfigMap//c")
        .hasMessageContaining("${FRONTEND#http://} is a shell form")
        .hasMessageContaining("write $${FRONTEND#http://}")
        .hasMessageContaining("flotilla.dev/substitute: disabled");
  }

  @Test
  void undefinedVariableFailsNamingTheSiteTheObjectAndTheVariable() {
    String output = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: pos
          namespace: shop
        spec:
          replicas: ${REPLICAS}
        """;

    assertThatThrownBy(() -> SiteStamper.stamp(output, store, "pos", REVISION))
        .isInstanceOfSatisfying(RenderException.class, e -> {
          assertThat(e.site()).contains("store-0001");
          assertThat(e.object()).contains("Deployment/shop/pos");
          assertThat(e.variable()).contains("REPLICAS");
        })
        .hasMessageContaining("site store-0001")
        .hasMessageContaining("object Deployment/shop/pos")
        .hasMessageContaining("${REPLICAS} is not defined");
  }

  @Test
  void wholeScalarSubstitutionTakesTheValuesYamlTypeAsInFlux() throws Exception {
    String output = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pos\nspec:\n  replicas: ${REPLICAS}\n";
    Site site = Sites.site("store-0003", "pop", Map.of("REPLICAS", "3"));

    String yaml = SiteStamper.stamp(output, site, "pos", REVISION).yaml();

    assertThat(ManifestYaml.MAPPER.readTree(yaml).path("spec").path("replicas").isInt()).isTrue();
  }

  @Test
  void valuesThatYamlWouldReadDifferentlyStayStrings() throws Exception {
    String output = "apiVersion: example.com/v1\nkind: StoreSettings\nmetadata:\n  name: c\ndata:\n"
        + "  id: ${STORE_ID}\n  version: ${VERSION}\n  list:\n  - ${STORE_ID}\n  flag: ${FLAG}\n";
    Site site = Sites.site("store-0003", "pop", Map.of("STORE_ID", "0003", "VERSION", "1.10", "FLAG", "true"));

    JsonNode data = ManifestYaml.MAPPER.readTree(SiteStamper.stamp(output, site, "pos", REVISION).yaml()).path("data");

    assertThat(data.path("id").isTextual()).isTrue();
    assertThat(data.path("id").asText()).isEqualTo("0003");
    assertThat(data.path("version").asText()).isEqualTo("1.10");
    assertThat(data.path("list").get(0).asText()).isEqualTo("0003");
    assertThat(data.path("flag").isBoolean()).isTrue();
  }

  @Test
  void fieldsTheKubernetesApiTakesOnlyAsStringsStayStrings() throws Exception {
    String output = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    lanes: ${LANES}\n"
        + "  annotations:\n    on: ${FLAG}\ndata:\n  lanes: ${LANES}\n  flag: ${FLAG}\n---\n"
        + "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: ${LANES}\n  template:\n"
        + "    spec:\n      containers:\n      - name: c\n        env:\n        - name: LANES\n          value: ${LANES}\n";
    Site site = Sites.site("store-0003", "pop", Map.of("LANES", "24", "FLAG", "true"));

    DesiredState state = SiteStamper.stamp(output, site, "pos", REVISION);
    JsonNode configMap = ManifestYaml.MAPPER.readTree(state.manifests().get(0).yaml());
    JsonNode deployment = ManifestYaml.MAPPER.readTree(state.manifests().get(1).yaml());

    assertThat(configMap.path("data").path("lanes").isTextual()).isTrue();
    assertThat(configMap.path("data").path("flag").isTextual()).isTrue();
    assertThat(configMap.path("metadata").path("labels").path("lanes").isTextual()).isTrue();
    assertThat(configMap.path("metadata").path("annotations").path("on").isTextual()).isTrue();
    JsonNode env = deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env").get(0);
    assertThat(env.path("value").isTextual()).isTrue();
    assertThat(deployment.path("spec").path("replicas").isInt()).as("typed fields keep the value's YAML type").isTrue();
  }

  @Test
  void clusterScopedObjectsHaveAnEmptyNamespace() throws Exception {
    String output = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n";

    Manifest manifest = SiteStamper.stamp(output, store, "pos", REVISION).manifests().get(0);

    assertThat(manifest.namespace()).isEmpty();
    assertThat(manifest.id()).isEqualTo("ClusterRole//reader");
  }

  @Test
  void stringsThatLookLikeOtherTypesStayStringsForYaml11Readers() throws Exception {
    Site numeric = Sites.site("0001", "true");
    String output = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
        + "  a: \"yes\"\n  b: \"0001\"\n  b2: \"123\"\n  c: \"1e3\"\n  d: \"null\"\n  e: \"\"\n  f: \"on\"\n  g: \"0o17\"\n"
        + "  h: |\n    line one\n    line two\n";

    String yaml = SiteStamper.stamp(output, numeric, "pos", "1234567").yaml();

    // SnakeYAML resolves scalars by YAML 1.1 rules, like the Go YAML reader behind kubectl.
    Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(yaml);
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) doc.get("data");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> metadata = (Map<String, Map<String, Object>>) doc.get("metadata");
    assertThat(data).containsExactly(
        Map.entry("a", "yes"), Map.entry("b", "0001"), Map.entry("b2", "123"), Map.entry("c", "1e3"), Map.entry("d", "null"),
        Map.entry("e", ""), Map.entry("f", "on"), Map.entry("g", "0o17"), Map.entry("h", "line one\nline two\n"));
    assertThat(metadata.get("labels")).containsEntry("flotilla.dev/site", "0001")
        .containsEntry("flotilla.dev/tier", "true");
    assertThat(metadata.get("annotations")).containsEntry("flotilla.dev/revision", "1234567");
  }

  @Test
  void objectsWithoutReferencesShareNothingMutableBetweenSites() throws Exception {
    RenderedOverlay overlay = RenderedOverlay.parse("pos", "apps/pos/overlays/pop", OUTPUT);
    Site other = Sites.site("store-0009", "pop", Map.of("STORE_ID", "s-0009"));

    SiteStamper.stamp(overlay, store, REVISION);
    String second = SiteStamper.stamp(overlay, other, REVISION).yaml();

    assertThat(second).doesNotContain("store-0001");
    assertThat(overlay.objects().get(0).tree().path("metadata").has("labels")).isFalse();
  }
}
