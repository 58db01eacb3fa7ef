package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.FleetFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated fleet files: whatever a file holds, loading the fleet either succeeds or
 * fails with problems that name a file and say what is wrong, quickly; never another exception.
 */
class FleetFilePropertyTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC);
  private static final List<String> FILES = List.of("fleet.yaml", "sites/sites.yaml", "policies/default.yaml",
      "apps/web/app.yaml", "apps/web/base/kustomization.yaml", "apps/web/overlays/edge/kustomization.yaml");
  /** Small limits so that the limits themselves are exercised too. */
  private static final ReadLimits LIMITS = new ReadLimits(64 << 10, 4 << 10, 20_000);

  /** One edit to one file of the minimal fleet. */
  record Mutation(String file, int position, String kind, String text) {}

  @Property(tries = 200)
  void aMutatedFleetFileIsValidOrAClearProblem(@ForAll("mutations") Mutation mutation) {
    Path root = tempDir();
    try {
      FleetFiles.minimal(root);
      Path file = root.resolve(mutation.file());
      String original = read(file);
      write(file, apply(original, mutation));

      assertLoadsOrFailsClearly(root);
    } finally {
      delete(root);
    }
  }

  @Property(tries = 200)
  void aSiteFileOfRandomTextIsValidOrAClearProblem(@ForAll("yamlish") String text) {
    Path root = tempDir();
    try {
      FleetFiles.minimal(root).write("sites/random.yaml", text);

      assertLoadsOrFailsClearly(root);
    } finally {
      delete(root);
    }
  }

  @Property(tries = 500)
  void aDurationIsParsedOrRefusedWithAnIllegalArgument(@ForAll("durations") String text) {
    try {
      Duration d = Durations.parse(text);
      assertThat(d).isBetween(Duration.ZERO, Durations.MAX);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank().hasSizeLessThan(400);
    }
  }

  private static void assertLoadsOrFailsClearly(Path root) {
    long start = System.nanoTime();
    try {
      FleetLoader.load(root, LIMITS, NOW);
    } catch (FleetValidationException e) {
      assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
        assertThat(p.file()).isNotBlank();
        assertThat(p.line()).isNotNegative();
        assertThat(p.message()).isNotBlank().hasSizeLessThan(2_000);
      });
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    Arbitrary<String> kinds = Arbitraries.of("insert", "replace", "truncate", "delete-line", "duplicate-line");
    return Combinators.combine(Arbitraries.of(FILES), Arbitraries.integers().between(0, 2_000), kinds, yamlish())
        .as(Mutation::new);
  }

  @Provide
  Arbitrary<String> yamlish() {
    Arbitrary<String> fragments = Arbitraries.of(
        "\n", ": ", "- ", "  ", "\t", "---\n", "&a ", "*a", "*b", "&a [1, 2, *a]", "!!binary ", "!!python/object:x ",
        "{", "}", "[", "]", "\"", "'", "#", "|\n", ">-\n", "? ", "%YAML 1.1\n", "<<: *a\n", "~", "null", "true",
        "0x1F", "1e999", "-.inf", "9999999999999999999999h", "GMT+5", "+05:00", "0 0 2 30 2 ?", "../../../etc",
        "/etc/shadow", "https://example.com/x?ref=main", "\u0000", "\u001b[2J", "\uFEFF", "\uD83D\uDE00", "é",
        "name: x\n", "spec:\n", "kind: Site\n", "apiVersion: flotilla.dev/v1\n", "timezone: UTC\n", "tier: edge\n",
        "x".repeat(5_000));
    return fragments.list().ofMaxSize(30).map(list -> String.join("", list));
  }

  @Provide
  Arbitrary<String> durations() {
    Arbitrary<String> parts = Combinators.combine(
            Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
                Arbitraries.strings().numeric().ofMaxLength(30)),
            Arbitraries.of("h", "m", "s", "ms", "d", "", " "))
        .as((n, unit) -> n + unit);
    return Arbitraries.oneOf(parts.list().ofMaxSize(4).map(l -> String.join("", l)), Arbitraries.strings().ofMaxLength(20));
  }

  private static String apply(String original, Mutation m) {
    int at = Math.min(m.position(), original.length());
    return switch (m.kind()) {
      case "insert" -> original.substring(0, at) + m.text() + original.substring(at);
      case "replace" -> original.substring(0, at) + m.text() + original.substring(Math.min(original.length(),
          at + m.text().length()));
      case "truncate" -> original.substring(0, at);
      case "delete-line" -> dropLine(original, at, false);
      default -> dropLine(original, at, true);
    };
  }

  private static String dropLine(String text, int at, boolean duplicate) {
    int start = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
    int end = text.indexOf('\n', at);
    end = end < 0 ? text.length() : end + 1;
    String line = text.substring(start, end);
    return text.substring(0, start) + (duplicate ? line + line : "") + text.substring(end);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("flotilla-prop-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
