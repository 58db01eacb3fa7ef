package dev.flotilla.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DriftTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String DESIRED = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec:
        replicas: 2
        template: {spec: {containers: [{name: web, image: "web:1.2"}], volumes: [{name: tmp, emptyDir: {}}]}}
      """;

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("identical", DESIRED, List.of()),
        Arguments.of("server defaults and status are no drift", DESIRED.replace("image: \"web:1.2\"}", "image: \"web:1.2\", imagePullPolicy: IfNotPresent}")
            .replace("replicas: 2", "replicas: 2\n  progressDeadlineSeconds: 600") + "status: {replicas: 2}\n", List.of()),
        Arguments.of("labels added by others are no drift", DESIRED.replace("labels: {app: web}", "labels: {app: web, team: ops}"), List.of()),
        Arguments.of("scaled by hand", DESIRED.replace("replicas: 2", "replicas: 5"), List.of("spec.replicas: want 2, live 5")),
        Arguments.of("image changed in place", DESIRED.replace("web:1.2", "web:1.3"),
            List.of("spec.template.spec.containers[0].image: want web:1.2, live web:1.3")),
        Arguments.of("label removed", DESIRED.replace("labels: {app: web}", "labels: {}"), List.of("metadata.labels.app: want web, live (missing)")),
        Arguments.of("container added", DESIRED.replace("[{name: web, image: \"web:1.2\"}]", "[{name: web, image: \"web:1.2\"}, {name: side, image: x}]"),
            List.of("spec.template.spec.containers: want [{name=web, image=web:1.2}], live [{name=web, image=web:1.2}, {name=side, image=x}]")),
        Arguments.of("number as long is the same number", DESIRED.replace("replicas: 2", "replicas: 2.0"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void driftIsJudgedOnTheDesiredFieldsOnly(String name, String liveYaml, List<String> expected) throws Exception {
    Map<String, Object> desired = YAML.readValue(DESIRED, new TypeReference<>() {});
    Map<String, Object> live = YAML.readValue(liveYaml, new TypeReference<>() {});

    assertThat(Drift.of(desired, live)).map(FieldDrift::toString).containsExactlyElementsOf(expected);
  }
}
