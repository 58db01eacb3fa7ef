package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitAuth;
import dev.flotilla.testing.FleetFiles;
import dev.flotilla.testing.GitFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fleet repo surface under hostile or careless input: links out of the repo, files and values
 * past the limits, alias bombs, overflowing durations, windows that never open and offset time
 * zones. Each is a problem naming the file and line, never a crash, a hang or a leak of what lies
 * outside the repo.
 */
class HostileFleetRepoTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  @TempDir Path outside;

  private List<String> problems(Path root) {
    return problems(root, ReadLimits.DEFAULT);
  }

  private List<String> problems(Path root, ReadLimits limits) {
    FleetValidationException e = catchThrowableOfType(FleetValidationException.class,
        () -> FleetLoader.load(root, limits, NOW));
    assertThat(e).as("the fleet repo should be invalid").isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }

  private static String site(String name, String specLines) {
    return "apiVersion: flotilla.dev/v1\nkind: Site\nmetadata:\n  name: " + name + "\nspec:\n" + specLines;
  }

  @Test
  void aSiteFileLinkedToAFileOutsideTheRepoIsRefusedWithoutReadingIt() throws IOException {
    Path secret = Files.writeString(outside.resolve("shadow"), "root:$6$secrethash:19000:0:99999:7:::\n");
    FleetFiles files = FleetFiles.minimal(dir);
    Files.createSymbolicLink(dir.resolve("sites/zz.yaml"), secret);

    List<String> problems = problems(files.root());

    assertThat(problems).singleElement().asString()
        .startsWith("sites/zz.yaml: is a link that leads outside the fleet repo")
        .endsWith("not read");
    assertThat(String.join("\n", problems)).doesNotContain("secrethash");
  }

  @Test
  void aCommittedLinkOutOfTheRepoIsRefusedTheSameWayInARevisionSnapshot(@TempDir Path cache) throws Exception {
    Path secret = Files.writeString(outside.resolve("shadow"), "root:$6$secrethash:19000:0:99999:7:::\n");
    FleetFiles.minimal(dir);
    Files.createSymbolicLink(dir.resolve("sites/zz.yaml"), secret);
    String worktreeProblems;
    try (GitFixture git = GitFixture.init(dir)) {
      String commit = git.commit("a link out of the repo");
      worktreeProblems = String.join("\n", problems(dir));
      try (FleetRepoSource source = FleetRepoSource.open(dir.toString(), cache, GitAuth.NONE)) {
        Path snapshot = source.snapshot(commit).root();

        List<String> problems = problems(snapshot);

        assertThat(String.join("\n", problems)).isEqualTo(worktreeProblems).doesNotContain("secrethash");
        assertThat(problems).singleElement().asString()
            .startsWith("sites/zz.yaml: is a link that leads outside the fleet repo");
      }
    }
  }

  @Test
  void aFleetFileLinkedOutsideTheRepoIsOneProblem() throws IOException {
    Path secret = Files.writeString(outside.resolve("fleet.yaml"), "root:$6$secrethash\n");
    FleetFiles files = FleetFiles.minimal(dir).delete("fleet.yaml");
    Files.createSymbolicLink(dir.resolve("fleet.yaml"), secret);

    assertThat(problems(files.root())).containsExactly("fleet.yaml: is a link that leads outside the fleet repo (to "
        + secret.toRealPath() + "): not read");
  }

  @Test
  void aSitesFolderLinkedOutsideTheRepoIsRefused() throws IOException {
    Files.writeString(outside.resolve("evil.yaml"), site("evil", "  tier: edge\n  timezone: UTC\n"));
    FleetFiles files = FleetFiles.minimal(dir);
    Files.createDirectories(dir.resolve("policies"));
    Files.move(dir.resolve("sites"), dir.resolve("real-sites"));
    Files.createSymbolicLink(dir.resolve("sites"), outside);

    assertThat(problems(files.root())).contains("sites: is a link that leads outside the fleet repo (to "
        + outside.toRealPath() + "): not read");
  }

  @Test
  void aLinkThatStaysInsideTheRepoIsFollowed() throws IOException {
    FleetFiles files = FleetFiles.minimal(dir);
    files.write("shared/more-sites.yaml", site("edge-3", "  tier: edge\n  timezone: UTC\n"));
    Files.createSymbolicLink(dir.resolve("sites/more.yaml"), Path.of("../shared/more-sites.yaml"));

    assertThat(loadValid(files.root()).site("edge-3")).isPresent();
  }

  @Test
  void validateReportsAKustomizationEntryThatClimbsOutWithFileAndLine() {
    FleetFiles files = FleetFiles.minimal(dir).write("apps/web/base/kustomization.yaml", """
        resources:
          - configmap.yaml
          - ../../../../../../var/lib/x
        """);

    assertThat(problems(files.root())).containsExactly("apps/web/base/kustomization.yaml:3: resources[1]:"
        + " '../../../../../../var/lib/x' climbs out of the fleet repo");
  }

  @Test
  void remoteResourcesNeedAHostListedInFleetYamlAndAPinnedCommit() {
    String pinned = "github.com/example/web/base?ref=" + "0".repeat(40);
    FleetFiles files = FleetFiles.minimal(dir).write("apps/web/overlays/edge/kustomization.yaml",
        "resources:\n  - ../../base\n  - " + pinned + "\n  - https://evil.example/x.yaml\n");
    assertThat(problems(files.root())).containsExactly(
        "apps/web/overlays/edge/kustomization.yaml:3: resources[1]: '" + pinned + "' is a remote resource on host"
            + " 'github.com', and fleet.yaml's spec.remoteResources.allowedHosts is empty (remote resources are refused"
            + " unless their host is listed there)",
        "apps/web/overlays/edge/kustomization.yaml:4: resources[2]: 'https://evil.example/x.yaml' is a remote resource"
            + " on host 'evil.example', and fleet.yaml's spec.remoteResources.allowedHosts is empty (remote resources are"
            + " refused unless their host is listed there)");

    files.write("fleet.yaml", fleetWithWindow("0 0 2 ? * *", "3h")
        + "  remoteResources:\n    allowedHosts: [github.com, \"Bad Host:22\"]\n");

    assertThat(problems(files.root())).containsExactly(
        "apps/web/overlays/edge/kustomization.yaml:4: resources[2]: 'https://evil.example/x.yaml' is a remote resource"
            + " on host 'evil.example', and fleet.yaml's spec.remoteResources.allowedHosts lists only [github.com]",
        "fleet.yaml:16: spec.remoteResources.allowedHosts: 'Bad Host:22' is not a host name in lower case such as"
            + " github.com (no scheme, port or path)");
  }

  @Test
  void aFiftyMegabyteQuotedValueIsRefusedBeforeParsingInWellUnderASecond() throws IOException {
    FleetFiles files = FleetFiles.minimal(dir);
    writeHugeValue(dir.resolve("sites/zz.yaml"), 50 << 20);

    long start = System.nanoTime();
    List<String> problems = problems(files.root());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(problems).containsExactly("sites/zz.yaml: is 50.0 MiB, larger than the limit of 4 MiB per file"
        + " (FLOTILLA_MAX_FILE_SIZE): not read");
    assertThat(took).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aScalarPastItsLimitIsRefusedWithItsLine() throws IOException {
    FleetFiles files = FleetFiles.minimal(dir);
    files.write("sites/zz.yaml", site("zz", "  tier: edge\n  timezone: UTC\n  values:\n    BIG: \"" + "x".repeat(2000)
        + "\"\n"));

    assertThat(problems(files.root(), new ReadLimits(4 << 20, 1000, 1_000_000))).containsExactly(
        "sites/zz.yaml:9: a scalar of 2000 characters is longer than the limit of 1000 (FLOTILLA_MAX_SCALAR_SIZE):"
            + " not read");
  }

  /** SnakeYAML's own reader is quadratic in a scalar's length: 16 MB took 52 s. */
  @Test
  void longScalarsWithinTheLimitsParseInLinearTime() throws IOException {
    FleetFiles files = FleetFiles.minimal(dir);
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 3; i++) values.append("    V").append(i).append(": \"").append("x".repeat(1 << 20)).append("\"\n");
    files.write("sites/zz.yaml", site("zz", "  tier: edge\n  timezone: UTC\n  values:\n" + values));

    long start = System.nanoTime();
    FleetModel model = loadValid(files.root(), new ReadLimits(4 << 20, (1 << 20) + 1, 1_000_000));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(model.site("zz").orElseThrow().values().get("V2")).hasSize(1 << 20);
    assertThat(took).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aBillionLaughsDocumentIsRefusedBeforeAnyoneWalksIt() {
    StringBuilder bomb = new StringBuilder("  values:\n    L0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    // Anchors on sequences inside a label map would be rejected as non-strings later; the bomb
    // must be refused by the reader before that.
    bomb.append("  x: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 6; i++) {
      bomb.append("  x").append(i).append(": &x").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, "*x" + (i - 1)))).append("]\n");
    }
    FleetFiles files = FleetFiles.minimal(dir).write("sites/zz.yaml", site("zz", "  tier: edge\n  timezone: UTC\n"
        + bomb));

    assertThat(problems(files.root(), new ReadLimits(4 << 20, 1 << 20, 10_000))).singleElement().asString()
        .startsWith("sites/zz.yaml:1: the document has more than 10000 nodes once its aliases are expanded");
  }

  @Test
  void aFileThatIsNotUtf8IsAProblemNamingIt() throws IOException {
    FleetFiles files = FleetFiles.minimal(dir);
    Files.write(dir.resolve("sites/zz.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});

    assertThat(problems(files.root())).singleElement().asString()
        .startsWith("sites/zz.yaml:1: not valid UTF-8: the byte at offset 3 (line 1)");
  }

  @Test
  void aControlCharacterIsAProblemWithItsLine() {
    FleetFiles files = FleetFiles.minimal(dir).write("sites/zz.yaml", "a: 1\nb: \"\u001b[2J\"\n");

    assertThat(problems(files.root())).singleElement().asString()
        .isEqualTo("sites/zz.yaml:2: YAML syntax error: control character U+001B is not allowed in YAML");
  }

  @ParameterizedTest
  @ValueSource(strings = {"999999999999999999h", "99999999999999999999999s", "87601h"})
  void aDurationPastTenYearsIsAProblemNotACrash(String duration) {
    FleetFiles files = FleetFiles.minimal(dir);
    files.write("fleet.yaml", fleetWithWindow("0 0 2 ? * *", duration));

    // One problem, no crash, and no cascade: the invalid window is still declared, so the policy naming it is not blamed.
    assertThat(problems(files.root())).containsExactly(
        "fleet.yaml:14: spec.windows[0].duration: '" + duration + "' is too long: a duration is at most 87600h (ten"
            + " years)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 2 ? * * 2020", "0 0 2 30 2 ?"})
  void aWindowThatCanNeverOpenIsAProblem(String cron) {
    FleetFiles files = FleetFiles.minimal(dir);
    files.write("fleet.yaml", fleetWithWindow(cron, "3h"));

    assertThat(problems(files.root())).first().asString()
        .startsWith("fleet.yaml:13: spec.windows[0].cron: '" + cron + "' never fires after 2026-11-30T00:00:00Z");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GMT+5", "+05:00", "UTC+01:00", "Z", "Etc/GMT+5"})
  void anOffsetTimeZoneIsRefused(String zone) {
    FleetFiles files = FleetFiles.minimal(dir)
        .write("sites/zz.yaml", site("zz", "  tier: edge\n  timezone: \"" + zone + "\"\n"));

    assertThat(problems(files.root())).singleElement().asString()
        .startsWith("sites/zz.yaml:7: spec.timezone: '" + zone + "' is not an IANA time zone region");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "Europe/Paris", "America/Argentina/Buenos_Aires"})
  void aRegionTimeZoneIsAccepted(String zone) {
    FleetFiles files = FleetFiles.minimal(dir)
        .write("sites/zz.yaml", site("zz", "  tier: edge\n  timezone: " + zone + "\n"));

    assertThat(loadValid(files.root()).site("zz").orElseThrow().timezone().getId()).isEqualTo(zone);
  }

  private static String fleetWithWindow(String cron, String duration) {
    return """
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
              cron: "%s"
              duration: %s
        """.formatted(cron, duration);
  }

  private static void writeHugeValue(Path file, int bytes) throws IOException {
    try (var out = Files.newOutputStream(file)) {
      out.write(site("zz", "  tier: edge\n  timezone: UTC\n  values:\n    BIG: \"").getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < bytes >> 20; i++) out.write(chunk);
      out.write("\"\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private FleetModel loadValid(Path root) {
    return loadValid(root, ReadLimits.DEFAULT);
  }

  private FleetModel loadValid(Path root, ReadLimits limits) {
    try {
      return FleetLoader.load(root, limits, NOW);
    } catch (FleetValidationException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
