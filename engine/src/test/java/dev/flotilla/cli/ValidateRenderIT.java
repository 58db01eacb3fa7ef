package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Site;
import dev.flotilla.testing.RepoRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate --render} with the real kustomize on a copy of the example fleet broken on
 * purpose: every render problem of every site is reported, grouped by cause, as {@code file:line:
 * field: message}; exit 2 for a broken fleet, 1 when only a tool failed.
 */
class ValidateRenderIT {
  @TempDir Path dir;
  Path fleet;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void copyTheExample() throws IOException {
    fleet = dir.resolve("fleet");
    Path example = RepoRoot.find().resolve("fleet-repo-example");
    try (Stream<Path> files = Files.walk(example)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path target = fleet.resolve(example.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
  }

  Run validate(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("validate", "--repo", "fleet", "--data-dir", "data", "--render"));
    args.addAll(List.of(extra));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(new Launch(dir, Map.of()), args.toArray(String[]::new));
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  void edit(String file, String from, String to) throws IOException {
    Path path = fleet.resolve(file);
    String text = Files.readString(path);
    assertThat(text).contains(from);
    Files.writeString(path, text.replace(from, to));
  }

  @Test
  void oneMissingVariableAtManySitesIsOneProblemNamingThemAll() throws IOException, FleetValidationException {
    edit("apps/telemetry/base/configmap.yaml", "STORE_ID: ${STORE_ID:=none}", "STORE_ID: ${STORE_ID}\n  ZONE: ${ZONE}");
    List<Site> sites = FleetLoader.load(fleet).sites();
    List<String> withoutStoreId = sites.stream().filter(s -> !s.values().containsKey("STORE_ID")).map(Site::name).sorted().toList();
    List<String> all = sites.stream().map(Site::name).sorted().toList();
    assertThat(withoutStoreId).hasSize(6);

    Run r = validate();

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    List<String> problems = r.out().lines().toList();
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0))
        .startsWith("apps/telemetry/base/configmap.yaml:10: data.STORE_ID: variable ${STORE_ID} is not defined at 6 sites: "
            + String.join(", ", withoutStoreId) + " (object ConfigMap/telemetry/telemetry-config);")
        .endsWith("set it in the sites' spec.values or give a default: ${STORE_ID:=value}");
    assertThat(problems.get(1))
        .startsWith("apps/telemetry/base/configmap.yaml:11: data.ZONE: variable ${ZONE} is not defined at 90 sites: "
            + String.join(", ", all.subList(0, 20)) + " and 70 more (object ConfigMap/telemetry/telemetry-config);");
  }

  @Test
  void everyProblemOfEverySiteIsReportedNotOnlyTheFirst() throws IOException {
    edit("apps/pos/base/configmap.yaml", "POS_COUNTRY: ${COUNTRY}", "POS_COUNTRY: ${COUNTRY}\n  POS_OWNER: ${OWNER}");
    edit("apps/telemetry/base/configmap.yaml", "STORE_ID: ${STORE_ID:=none}", "STORE_ID: ${STORE_ID}");
    edit("apps/pos/overlays/micro-dc/kustomization.yaml", "resources:", "resources:\n  - missing.yaml");

    Run r = validate();

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).containsPattern("apps/pos/base/configmap\\.yaml:12: data\\.POS_OWNER: variable \\$\\{OWNER} is not defined at \\d+ sites")
        .containsPattern("apps/pos/overlays/micro-dc/kustomization\\.yaml:1: cannot render the overlay of app pos for 4 sites: .*missing\\.yaml")
        .contains("apps/telemetry/base/configmap.yaml:10: data.STORE_ID: variable ${STORE_ID}");
    assertThat(r.err()).contains("invalid: 3 render problem(s)");
  }

  @Test
  void aToolThatFailsIsExitOneNotTwo() {
    Run r = validate("--kustomize", "/bin/false");

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aValidFleetStillSaysHowManyStatesRendered() {
    Run r = validate();

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("120 desired states rendered");
  }
}
