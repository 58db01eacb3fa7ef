package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.testing.FleetFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per validation rule; each checks the file, line, field and message a person sees. */
class FleetValidationTest {
  @TempDir Path dir;

  private List<String> problems(FleetFiles files) {
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class, () -> FleetLoader.load(files.root()));
    assertThat(e).as("the fleet repo should be invalid").isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }

  private FleetFiles withSite(String yaml) {
    return FleetFiles.minimal(dir).write("sites/extra.yaml", yaml);
  }

  @Test
  void minimalFleetIsValid() throws Exception {
    assertThat(FleetLoader.load(FleetFiles.minimal(dir).root()).sites()).hasSize(3);
  }

  @Test
  void missingFleetFileIsReported() {
    assertThat(problems(new FleetFiles(dir).write("sites/a.yaml", "x: 1\n")))
        .singleElement().asString().startsWith("fleet.yaml: missing: a fleet repo has a fleet.yaml");
  }

  @Test
  void yamlSyntaxErrorNamesFileAndLine() {
    assertThat(problems(withSite("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata: [unclosed\n")))
        .singleElement().asString().startsWith("sites/extra.yaml:4: YAML syntax error");
  }

  @Test
  void unknownFieldIsAnErrorListingTheKnownOnes() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
          timezone: UTC
          replicas: 3
        """))).containsExactly(
        "sites/extra.yaml:8: spec.replicas: unknown field; expected one of: tier, delivery, timezone, values, cluster");
  }

  @Test
  void requiredFieldMissingIsReported() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
        """))).containsExactly("sites/extra.yaml:6: spec.timezone: required field is missing");
  }

  @Test
  void wrongApiVersionIsReported() {
    assertThat(problems(withSite("""
        apiVersion: v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
          timezone: UTC
        """))).containsExactly("sites/extra.yaml:1: apiVersion: expected flotilla.dev/v1, got 'v1'");
  }

  @Test
  void wrongKindForThePlaceIsReported() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: App
        metadata:
          name: edge-9
        spec: {}
        """))).containsExactly("sites/extra.yaml:2: kind: expected kind Site in this place, got 'App'");
  }

  @Test
  void nameMustBeADns1123Label() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: Edge_9
        spec:
          tier: edge
          timezone: UTC
        """))).singleElement().asString()
        .startsWith("sites/extra.yaml:4: metadata.name: 'Edge_9' is not a DNS-1123 label");
  }

  @Test
  void duplicateSiteNamePointsAtTheFirst() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-1
        spec:
          tier: edge
          timezone: UTC
        """))).containsExactly(
        "sites/sites.yaml:17: metadata.name: duplicate site name 'edge-1' (first declared at sites/extra.yaml:4)");
  }

  @Test
  void siteTierMustExist() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: store
          timezone: UTC
        """))).containsExactly("sites/extra.yaml:6: spec.tier: no tier named 'store' in fleet.yaml (tiers: [hub, edge])");
  }

  @Test
  void timezoneMustBeIana() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
          timezone: Mars/Olympus
        """))).containsExactly(
        "sites/extra.yaml:7: spec.timezone: 'Mars/Olympus' is not an IANA time zone region such as Europe/Paris or UTC"
            + " (offsets such as +05:00, GMT+5 or UTC+3 do not follow daylight saving time and are refused; use the region,"
            + " e.g. Asia/Karachi)");
  }

  @Test
  void pushSiteNeedsACluster() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: hub-9
        spec:
          tier: hub
          timezone: UTC
        """))).containsExactly(
        "sites/extra.yaml:6: spec.cluster: a push site needs spec.cluster (kubeconfig and context, or inCluster: true) to be reached");
  }

  @Test
  void inClusterTakesNoKubeconfigAndMustBeABoolean() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: hub-9
        spec:
          tier: hub
          timezone: UTC
          cluster:
            inCluster: true
            kubeconfig: hub.yaml
        """))).containsExactly("sites/extra.yaml:9: spec.cluster.inCluster: inCluster: true reaches the engine's own cluster with its "
        + "service account; it takes no kubeconfig or context");
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: hub-9
        spec:
          tier: hub
          timezone: UTC
          cluster:
            inCluster: "yes"
        """))).contains("sites/extra.yaml:9: spec.cluster.inCluster: expected true or false, got 'yes'");
  }

  @Test
  void inClusterIsAPushSitesWayIn() throws Exception {
    assertThat(FleetLoader.load(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: hub-9
        spec:
          tier: hub
          timezone: UTC
          cluster:
            inCluster: true
        """).root()).site("hub-9").orElseThrow().cluster()).isEqualTo(Cluster.IN_CLUSTER);
  }

  @Test
  void clusterCarriesNoCredentials() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: hub-9
        spec:
          tier: hub
          timezone: UTC
          cluster:
            kubeconfig: /k
            token: abc
        """))).containsExactly(
        "sites/extra.yaml:10: spec.cluster.token: unknown field; expected one of: kubeconfig, context, inCluster");
  }

  @Test
  void labelsFollowKubernetesRules() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
          labels:
            region: "eu west"
        spec:
          tier: edge
          timezone: UTC
        """))).singleElement().asString()
        .startsWith("sites/extra.yaml:6: metadata.labels.region: label value 'eu west' is not valid");
  }

  @Test
  void valueNamesMustBeVariableNames() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
          timezone: UTC
          values:
            store-id: "1"
        """))).containsExactly(
        "sites/extra.yaml:9: spec.values: 'store-id' is not a substitution variable name ([_a-zA-Z][_a-zA-Z0-9]*)");
  }

  @Test
  void builtInVariablesCannotBeSetPerSite() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
          timezone: UTC
          values:
            SITE_TIER: hub
        """))).containsExactly(
        "sites/extra.yaml:9: spec.values: 'SITE_TIER' is a built-in (the site's own tier) and cannot be set per site");
  }

  @Test
  void appPolicyMustExist() {
    FleetFiles files = FleetFiles.minimal(dir).write("apps/web/app.yaml", """
        apiVersion: flotilla.dev/v1
        kind: App
        metadata:
          name: web
        spec:
          targets: {}
          policy: fast
        """);
    assertThat(problems(files)).containsExactly("apps/web/app.yaml:7: spec.policy: no RolloutPolicy named 'fast' (policies: [default])");
  }

  @Test
  void appNameMustMatchItsFolder() {
    FleetFiles files = FleetFiles.minimal(dir).write("apps/web/app.yaml", """
        apiVersion: flotilla.dev/v1
        kind: App
        metadata:
          name: webshop
        spec:
          targets: {}
          policy: default
        """);
    assertThat(problems(files)).containsExactly(
        "apps/web/app.yaml:4: metadata.name: must equal the app's folder name 'web', got 'webshop'");
  }

  @Test
  void appFolderWithoutAppYamlIsReported() {
    FleetFiles files = FleetFiles.minimal(dir).write("apps/api/base/kustomization.yaml", "resources: []\n");
    assertThat(problems(files)).containsExactly("apps/api: missing app.yaml (kind: App) in the app folder");
  }

  @Test
  void overlayForEachTargetedTierMustExist() {
    FleetFiles files = FleetFiles.minimal(dir).delete("apps/web/overlays/edge/kustomization.yaml");
    assertThat(problems(files)).containsExactly("apps/web/app.yaml:6: spec.targets: targets sites of tier 'edge' but"
        + " apps/web/overlays/edge/kustomization.yaml is missing");
  }

  @Test
  void baseMustExist() {
    FleetFiles files = FleetFiles.minimal(dir).delete("apps/web/base/kustomization.yaml");
    assertThat(problems(files)).singleElement().asString().startsWith("apps/web/base: missing kustomization");
  }

  @Test
  void overlayForUnknownTierIsReported() {
    FleetFiles files = FleetFiles.minimal(dir).write("apps/web/overlays/store/kustomization.yaml", "resources: [../../base]\n");
    assertThat(problems(files)).containsExactly("apps/web/overlays/store: overlay names no tier of fleet.yaml (tiers: [hub, edge])");
  }

  @Test
  void siteOverlayMustNameARealSite() {
    FleetFiles files = FleetFiles.minimal(dir).write("apps/web/sites/edge-7/kustomization.yaml", "resources: [../../overlays/edge]\n");
    assertThat(problems(files)).containsExactly("apps/web/sites/edge-7: site overlay names no site of the fleet: 'edge-7'");
  }

  @Test
  void siteOverlayMustNameATargetedSite() {
    FleetFiles files = FleetFiles.minimal(dir)
        .write("apps/web/app.yaml", """
            apiVersion: flotilla.dev/v1
            kind: App
            metadata:
              name: web
            spec:
              targets:
                tiers: [edge]
              policy: default
            """)
        .write("apps/web/sites/hub-1/kustomization.yaml", "resources: [../../overlays/hub]\n");
    assertThat(problems(files)).containsExactly("apps/web/app.yaml:7: spec.targets: the site overlay apps/web/sites/hub-1 is"
        + " for site 'hub-1', which these targets do not select: add the site to the targets or remove the overlay");
  }

  @Test
  void appTargetsThatSelectNothingAreReported() {
    FleetFiles files = FleetFiles.minimal(dir).write("apps/web/app.yaml", """
        apiVersion: flotilla.dev/v1
        kind: App
        metadata:
          name: web
        spec:
          targets:
            matchLabels:
              region: mars
          policy: default
        """);
    assertThat(problems(files)).containsExactly("apps/web/app.yaml:7: spec.targets: selects no site of the fleet");
  }

  @Test
  void waveThatSelectsNothingIsReported() {
    FleetFiles files = FleetFiles.minimal(dir).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          waves:
            - name: canary
              selector:
                names: [nowhere-1]
            - name: rest
              selector: {}
        """);
    assertThat(problems(files)).containsExactly("policies/default.yaml:7: spec.waves[0].selector: wave 'canary' selects no site of the fleet");
  }

  @Test
  void targetedSitesThatNoWaveSelectsAreReported() {
    FleetFiles files = FleetFiles.minimal(dir).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          waves:
            - name: hubs
              selector:
                tiers: [hub]
        """);
    assertThat(problems(files)).containsExactly(
        "apps/web/app.yaml:7: spec.policy: 2 targeted site(s) are selected by no wave of policy 'default': edge-1, edge-2");
  }

  @Test
  void waveSelectorTierMustExist() {
    FleetFiles files = FleetFiles.minimal(dir).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          waves:
            - name: all
              selector:
                tiers: [hub, edge, cloud]
        """);
    assertThat(problems(files)).containsExactly(
        "policies/default.yaml:9: spec.waves[0].selector.tiers: no tier named 'cloud' in fleet.yaml (tiers: [hub, edge])");
  }

  @Test
  void duplicateWaveNamesAreReported() {
    FleetFiles files = FleetFiles.minimal(dir).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          waves:
            - name: all
              selector: {}
            - name: all
              selector: {}
        """);
    assertThat(problems(files)).containsExactly("policies/default.yaml:9: spec.waves[1].name: duplicate wave name 'all' in policy default");
  }

  @Test
  void percentMustBeBetweenOneAndHundred() {
    FleetFiles files = FleetFiles.minimal(dir).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          waves:
            - name: all
              selector:
                percent: 0
        """);
    assertThat(problems(files)).contains("policies/default.yaml:9: spec.waves[0].selector.percent: expected a whole number from 1 to 100, got 0");
  }

  @Test
  void batchAndThresholdFieldsAreValidated() {
    FleetFiles files = FleetFiles.minimal(dir).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          supersede: later
          waves:
            - name: all
              selector: {}
              maxUnavailable: 0
              failureThreshold: lots
              completion: 3
        """);
    assertThat(problems(files)).containsExactly(
        "policies/default.yaml:6: spec.supersede: expected one of [queue, immediate], got 'later'",
        "policies/default.yaml:10: spec.waves[0].maxUnavailable: must be at least 1, got 0",
        "policies/default.yaml:11: spec.waves[0].failureThreshold: expected a whole number or a percentage such as 25%, got 'lots'",
        "policies/default.yaml:12: spec.waves[0].completion: expected a percentage of the wave's pull sites such as 90%");
  }

  @Test
  void gatesAreValidated() {
    FleetFiles files = FleetFiles.minimal(dir).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          waves:
            - name: all
              selector: {}
              gates:
                health: yes please
                soak: 10 minutes
                window: lunch
                analysis:
                  query: up
                  threshold: 0.5
                  comparison: "=="
        """);
    assertThat(problems(files)).containsExactly(
        "policies/default.yaml:10: spec.waves[0].gates.health: expected true or false, got 'yes please'",
        "policies/default.yaml:11: spec.waves[0].gates.soak: expected a duration such as 30s, 10m or 1h30m, got '10 minutes'",
        "policies/default.yaml:12: spec.waves[0].gates.window: no window named 'lunch' in fleet.yaml (windows: [night])",
        "policies/default.yaml:16: spec.waves[0].gates.analysis.comparison: expected one of <, <=, >, >=, got '=='");
  }

  @Test
  void approvalIsTrueFalseOrPullRequest() throws Exception {
    String policy = """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: default
        spec:
          waves:
            - name: all
              selector: {}
              gates:
                approval: %s
        """;
    Gates byPr = FleetLoader.load(FleetFiles.minimal(dir).write("policies/default.yaml", policy.formatted("pull-request")).root())
        .policies().get(0).waves().get(0).gates();
    assertThat(byPr.approval()).isTrue();
    assertThat(byPr.approvalByPullRequest()).isTrue();
    Gates byPerson = FleetLoader.load(FleetFiles.minimal(dir).write("policies/default.yaml", policy.formatted("true")).root())
        .policies().get(0).waves().get(0).gates();
    assertThat(byPerson.approval()).isTrue();
    assertThat(byPerson.approvalByPullRequest()).isFalse();
    assertThat(problems(FleetFiles.minimal(dir).write("policies/default.yaml", policy.formatted("merge-request")))).containsExactly(
        "policies/default.yaml:10: spec.waves[0].gates.approval: expected true, false or pull-request, got 'merge-request'");
  }

  @Test
  void windowCronMustBeValidQuartzCron() {
    FleetFiles files = FleetFiles.minimal(dir).write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata:
          name: shop
        spec:
          tiers:
            - name: hub
              delivery: push
            - name: edge
              delivery: pull
          windows:
            - name: night
              cron: "every night"
              duration: 3h
        """);
    assertThat(problems(files)).containsExactly("fleet.yaml:13: spec.windows[0].cron: 'every night' is not a valid Quartz"
        + " cron expression (seconds minutes hours day-of-month month day-of-week [year], e.g. \"0 0 2 ? * *\")");
  }

  @Test
  void anInvalidWindowIsNotAlsoReportedMissingWhereAWaveNamesIt() {
    FleetFiles files = FleetFiles.minimal(dir).write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata:
          name: shop
        spec:
          tiers:
            - name: hub
              delivery: push
            - name: edge
              delivery: pull
          windows:
            - name: night
              cron: "0 0 2 ? * *"
              duration: forever
        """);
    assertThat(problems(files)).singleElement().asString().startsWith("fleet.yaml:14: spec.windows[0].duration: ");
  }

  @Test
  void aTierWithAnInvalidDeliveryIsNotAlsoReportedMissingWhereSitesAndWavesNameIt() {
    FleetFiles files = FleetFiles.minimal(dir).write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata:
          name: shop
        spec:
          tiers:
            - name: hub
              delivery: pushh
            - name: edge
              delivery: pull
          windows:
            - name: night
              cron: "0 0 2 ? * *"
              duration: 4h
        """);
    assertThat(problems(files)).singleElement().asString()
        .isEqualTo("fleet.yaml:8: spec.tiers[0].delivery: expected push or pull, got 'pushh'");
  }

  @Test
  void anUnterminatedListInFleetYamlIsASyntaxErrorNotAnEmptyFile() {
    FleetFiles files = FleetFiles.minimal(dir).write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata:
          name: shop
        spec:
          tiers: [{name: hub, delivery: push}, {name: edge, delivery: pull}
        """);
    assertThat(problems(files)).singleElement().asString().startsWith("fleet.yaml:7: YAML syntax error");
  }

  @Test
  void invalidUtf8IsReportedAtItsLine() {
    FleetFiles files = withSite("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata:\n  name: caf\u0000\n");
    byte[] bytes = "apiVersion: flotilla.dev/v1\nkind: Site\nmetadata:\n  name: cafX\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    bytes[bytes.length - 2] = (byte) 0xE9; // Latin-1 'e' with an accent: not UTF-8
    try {
      java.nio.file.Files.write(files.root().resolve("sites/extra.yaml"), bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(problems(files)).singleElement().asString().startsWith("sites/extra.yaml:4: not valid UTF-8: the byte at offset");
  }

  @Test
  void tooManyAliasesIsReportedAtTheAliasPastTheLimit() {
    StringBuilder yaml = new StringBuilder("a: &a [x]\nb:\n");
    for (int i = 0; i < 60; i++) yaml.append("  - *a\n");
    assertThat(problems(withSite(yaml.toString()))).singleElement().asString()
        .matches("sites/extra\\.yaml:5[0-9]: YAML error: .*aliases.*");
  }

  @Test
  void unquotedBooleanAndNumberLabelsAndValuesAreRefusedWithTheFix() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
          labels:
            canary: true
        spec:
          tier: edge
          timezone: UTC
          values:
            LANES: 12
            VERSION: 1.10
            STORE_ID: "0012"
        """))).containsExactly(
        "sites/extra.yaml:6: metadata.labels.canary: expected a string, got the boolean true (YAML reads it unquoted as one;"
            + " Kubernetes refuses it in a label); quote it: canary: \"true\"",
        "sites/extra.yaml:11: spec.values.LANES: expected a string, got the number 12 (YAML reads it unquoted as one;"
            + " Kubernetes refuses it in a label); quote it: LANES: \"12\"",
        "sites/extra.yaml:12: spec.values.VERSION: expected a string, got the number 1.10 (YAML reads it unquoted as one;"
            + " Kubernetes refuses it in a label); quote it: VERSION: \"1.10\"");
  }

  @Test
  void tierDeliveryMustBePushOrPull() {
    FleetFiles files = FleetFiles.minimal(dir).write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata:
          name: shop
        spec:
          tiers:
            - name: hub
              delivery: push
            - name: edge
              delivery: carrier-pigeon
        """);
    assertThat(problems(files)).contains("fleet.yaml:10: spec.tiers[1].delivery: expected push or pull, got 'carrier-pigeon'");
  }

  @Test
  void duplicateKeysAreReported() {
    assertThat(problems(withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
          tier: hub
          timezone: UTC
        """))).containsExactly("sites/extra.yaml:7: spec.tier: duplicate key");
  }

  @Test
  void everyProblemIsReportedInOneRun() {
    FleetFiles files = withSite("""
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: moon
          timezone: Nowhere/Land
        """).write("policies/other.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: other
        spec:
          wavez: []
        """);
    assertThat(problems(files)).hasSize(4);
  }

  @Test
  void exceptionMessageListsEveryProblem() {
    assertThatThrownBy(() -> FleetLoader.load(withSite("kind: Site\n").root()))
        .isInstanceOf(FleetValidationException.class)
        .hasMessageContaining("sites/extra.yaml:1: apiVersion: required field is missing")
        .hasMessageContaining("metadata: required field is missing");
  }
}
