package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.testing.FleetFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An app's apply options ({@code forceConflicts}, {@code allowEmpty}, {@code ignoreFields}): read, defaulted and validated. */
class AppApplyOptionsTest {
  @TempDir Path dir;

  private FleetFiles withApp(String spec) {
    return FleetFiles.minimal(dir).write("apps/web/app.yaml", """
        apiVersion: flotilla.dev/v1
        kind: App
        metadata:
          name: web
        spec:
          targets: {}
          policy: default
        """ + spec);
  }

  private List<String> problems(FleetFiles files) {
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class, () -> FleetLoader.load(files.root()));
    assertThat(e).as("the fleet repo should be invalid").isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void anAppWithoutOptionsIsAppliedWithTheDefaults() throws Exception {
    App web = FleetLoader.load(withApp("").root()).app("web").orElseThrow();

    assertThat(web.apply()).isEqualTo(ApplyOptions.DEFAULTS);
    assertThat(web.apply().forceConflicts()).isFalse();
    assertThat(web.apply().allowEmpty()).isFalse();
    assertThat(web.apply().selfHeal()).as("drift is only shown unless the app asks").isFalse();
  }

  @Test
  void everyOptionIsRead() throws Exception {
    App web = FleetLoader.load(withApp("""
          forceConflicts: true
          allowEmpty: true
          selfHeal: true
          ignoreFields:
            - {kind: Deployment, path: spec.replicas}
            - {kind: ConfigMap, name: tuning, path: data.threads}
        """).root()).app("web").orElseThrow();

    assertThat(web.apply().forceConflicts()).isTrue();
    assertThat(web.apply().allowEmpty()).isTrue();
    assertThat(web.apply().selfHeal()).isTrue();
    assertThat(web.apply().ignoreFields()).containsExactly(
        new IgnoredField("Deployment", "", "spec.replicas"), new IgnoredField("ConfigMap", "tuning", "data.threads"));
  }

  @Test
  void aFlagThatIsNoBooleanIsReportedWithItsLine() {
    assertThat(problems(withApp("  forceConflicts: yes-please\n")))
        .containsExactly("apps/web/app.yaml:8: spec.forceConflicts: expected true or false, got 'yes-please'");
  }

  @Test
  void aSelfHealThatIsNoBooleanIsReportedWithItsLine() {
    assertThat(problems(withApp("  selfHeal: always\n")))
        .containsExactly("apps/web/app.yaml:8: spec.selfHeal: expected true or false, got 'always'");
  }

  @Test
  void anIgnoredFieldWithoutPathIsReported() {
    assertThat(problems(withApp("  ignoreFields:\n    - {kind: Deployment}\n")))
        .containsExactly("apps/web/app.yaml:9: spec.ignoreFields[0].path: required field is missing");
  }

  @Test
  void anIgnoredFieldPathMustBeDottedKeys() {
    assertThat(problems(withApp("  ignoreFields:\n    - {kind: Deployment, path: \"spec.template.spec.containers[0].image\"}\n")))
        .singleElement().asString()
        .startsWith("apps/web/app.yaml:9: spec.ignoreFields[0].path: expected dotted keys like spec.replicas");
  }

  @Test
  void theIdentityOfAnObjectCannotBeIgnored() {
    assertThat(problems(withApp("  ignoreFields:\n    - {kind: Deployment, path: metadata.name}\n")))
        .containsExactly("apps/web/app.yaml:9: spec.ignoreFields[0].path: the identity of an object (metadata.name) cannot be ignored");
  }

  @Test
  void aKindMustLookLikeAKubernetesKind() {
    assertThat(problems(withApp("  ignoreFields:\n    - {kind: deployment, path: spec.replicas}\n")))
        .containsExactly("apps/web/app.yaml:9: spec.ignoreFields[0].kind: expected a Kubernetes kind such as Deployment, got 'deployment'");
  }

  @Test
  void anUnknownKeyOfAnIgnoredFieldIsReported() {
    assertThat(problems(withApp("  ignoreFields:\n    - {kind: Deployment, path: spec.replicas, field: x}\n")))
        .containsExactly("apps/web/app.yaml:9: spec.ignoreFields[0].field: unknown field; expected one of: kind, name, path");
  }

  @Test
  void ignoreFieldsMustBeAList() {
    assertThat(problems(withApp("  ignoreFields: spec.replicas\n")))
        .containsExactly("apps/web/app.yaml:8: spec.ignoreFields: expected a list, got 'spec.replicas'");
  }
}
