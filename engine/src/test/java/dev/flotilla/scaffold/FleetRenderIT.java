package dev.flotilla.scaffold;

import dev.flotilla.testing.RepoRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tier and site overlay in fleet-repo-example/ and in the fleet templates renders with the
 * real {@code kubectl kustomize} (Kustomize v5), and so do the overlays of a freshly scaffolded app.
 */
class FleetRenderIT {
  private static final Path ROOT = RepoRoot.find();

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> everyOverlayOfTheExampleAndTheTemplatesRenders() throws IOException {
    List<Path> fleets = new ArrayList<>();
    fleets.add(ROOT.resolve("fleet-repo-example"));
    fleets.addAll(fleetTemplates());
    List<Path> overlays = new ArrayList<>();
    for (Path fleet : fleets) overlays.addAll(overlaysOf(fleet));
    assertThat(overlays).as("overlays found").hasSizeGreaterThanOrEqualTo(14);
    return overlays.stream()
        .map(dir -> DynamicTest.dynamicTest(ROOT.relativize(dir).toString(), () -> assertRenders(dir)));
  }

  @Test
  void theOverlaysOfAScaffoldedAppRender() throws Exception {
    FleetScaffold scaffold = new FleetScaffold(Templates.at(ROOT.resolve("templates")));
    Path repo = tmp.resolve("fleet");
    scaffold.init("four-tier", repo);
    Path app = scaffold.newApp(repo, "shelf-labels", "canary-then-tiers", List.of("datacenter", "micro-dc", "pop", "edge"));

    for (String tier : List.of("datacenter", "micro-dc", "pop", "edge")) {
      String out = assertRenders(app.resolve("overlays").resolve(tier));
      assertThat(out).contains("namespace: shelf-labels", "app.kubernetes.io/instance: shelf-labels-" + tier);
    }
  }

  private static String assertRenders(Path overlay) throws Exception {
    Path stderr = Files.createTempFile("kustomize", ".err");
    try {
      Process p = new ProcessBuilder(List.of(kubectl(), "kustomize", overlay.toString()))
          .redirectError(stderr.toFile())
          .start();
      // stdout is read to the end here while stderr goes to a file, so neither pipe can fill up.
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("kubectl kustomize " + overlay + " did not finish in 120s");
      }
      assertThat(p.exitValue())
          .as("kubectl kustomize %s failed: %s", overlay, Files.readString(stderr))
          .isZero();
      assertThat(out).as("rendered %s", overlay).contains("kind: ");
      return out;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  /** kubectl on PATH; a missing kubectl fails the test, since skipping would hide broken overlays. */
  private static String kubectl() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      for (String name : List.of("kubectl", "kubectl.exe")) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate.toString();
      }
    }
    return fail("install kubectl (Kustomize v5) and put it on PATH: no kubectl found in PATH=" + path);
  }

  private static List<Path> fleetTemplates() throws IOException {
    try (Stream<Path> s = Files.list(ROOT.resolve("templates"))) {
      return s.filter(p -> Files.isRegularFile(p.resolve("fleet.yaml"))).sorted().toList();
    }
  }

  /** apps/<app>/overlays/<tier>/ and apps/<app>/sites/<site>/ of one fleet repo. */
  private static List<Path> overlaysOf(Path fleet) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> apps = Files.list(fleet.resolve("apps"))) {
      for (Path app : apps.sorted().toList()) {
        out.addAll(subfolders(app.resolve("overlays")));
        out.addAll(subfolders(app.resolve("sites")));
      }
    }
    return out;
  }

  private static List<Path> subfolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }
}
