package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.OverlayInputs;
import dev.flotilla.fleet.ReadLimits;
import dev.flotilla.fleet.RemoteResources;
import dev.flotilla.fleet.RepoJail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random kustomizations: walking an overlay's inputs never throws, every refusal names a file and
 * a line inside the repo, and no input file it returns lies outside the repo; the cache key of
 * what it accepts can always be computed.
 */
class RenderInputPropertyTest {
  private static final ReadLimits LIMITS = new ReadLimits(64 << 10, 4 << 10, 20_000);

  @Property(tries = 200)
  void anyKustomizationIsWalkedIntoInputsInsideTheRepoOrClearProblems(@ForAll("kustomizations") String kustomization)
      throws IOException {
    Path root = Files.createTempDirectory("flotilla-prop-");
    try {
      FleetRepoFixture repo = new FleetRepoFixture(root);
      repo.write(FleetRepoFixture.POP + "/kustomization.yaml", kustomization);
      RepoJail jail = RepoJail.of(root);

      OverlayInputs.Result inputs = OverlayInputs.of(jail, repo.dir(FleetRepoFixture.POP), Set.of("github.com"), LIMITS);

      assertThat(inputs.files().values()).allSatisfy(p -> assertThat(jail.whyOutside(p)).isNull());
      assertThat(inputs.problems()).allSatisfy(p -> {
        assertThat(p.file()).isNotBlank().doesNotStartWith("/").doesNotStartWith("..");
        assertThat(p.message()).isNotBlank().hasSizeLessThan(2_000);
      });
      if (inputs.problems().isEmpty()) assertThat(InputTree.hash(inputs, "v5")).hasSize(64);
    } finally {
      delete(root);
    }
  }

  @Property(tries = 1_000)
  void anyStringIsARemoteResourceOrNotWithoutThrowing(@ForAll("references") String text) {
    if (RemoteResources.looksRemote(text)) {
      String refused = RemoteResources.whyRefused(text, Set.of("github.com"));
      if (refused != null) assertThat(refused).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> references() {
    return Arbitraries.oneOf(
        Arbitraries.of("https://", "ssh://", "git@", "git::", "gh:", "github.com/", "file://", "http://", "../", "/")
            .flatMap(prefix -> Arbitraries.strings().ofMaxLength(60).map(rest -> prefix + rest)),
        Arbitraries.strings().ofMaxLength(80));
  }

  @Provide
  Arbitrary<String> kustomizations() {
    Arbitrary<String> field = Arbitraries.of("resources", "bases", "components", "crds", "patchesStrategicMerge",
        "configurations", "generators", "transformers", "namePrefix", "unknownField");
    Arbitrary<String> entry = Arbitraries.oneOf(
        Arbitraries.of("../../base", "../../../../../../../../etc", "/etc/passwd", "replicas.yaml", "missing.yaml",
            "https://github.com/a/b//c?ref=" + "a".repeat(40), "https://github.com/a/b?ref=main",
            "git@evil.example:x/y", "file:///etc", "github.com/a/b", "gh:a/b", "..", ".", "", "key=../../x",
            "\"quoted ../../x\"", "*alias", "&anchor x", "[a, b]", "{a: b}", "x".repeat(5_000)),
        Arbitraries.strings().ofMaxLength(30));
    Arbitrary<String> list = entry.list().ofMaxSize(5)
        .map(items -> String.join("", items.stream().map(i -> "- " + i + "\n").toList()));
    Arbitrary<String> block = Arbitraries.oneOf(
        field.flatMap(f -> list.map(l -> f + ":\n" + l)),
        Arbitraries.of("patches:\n- path: ../../../../x\n", "patches:\n- path: replicas.yaml\n",
            "configMapGenerator:\n- name: c\n  files:\n  - k=../../../../etc/hosts\n", "openapi:\n  path: /etc/x\n",
            "helmGlobals:\n  chartHome: ../../../..\n", "a: &a [*a]\n", "\t- bad\n", "---\n", "{", "\u0007"));
    return block.list().ofMaxSize(4).map(blocks -> String.join("", blocks));
  }

  private static void delete(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
