package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizeBinaryTest {
  private final ProcessRunner runner = new ProcessRunner();
  private final Path overlay = Path.of("/fleet/apps/pos/overlays/edge");

  @TempDir Path tmp;

  @Test
  void standaloneKustomizeOnPathIsPreferredOverKubectl() throws Exception {
    Path kustomizeDir = executable("a/kustomize").getParent();
    Path kubectlDir = executable("b/kubectl").getParent();

    KustomizeBinary binary = KustomizeBinary.locate(null, pathOf(kubectlDir, kustomizeDir), runner);

    assertThat(binary.form()).isEqualTo(KustomizeBinary.Form.KUSTOMIZE);
    assertThat(binary.buildArgv(overlay))
        .containsExactly(kustomizeDir.resolve("kustomize").toString(), "build", overlay.toString());
    assertThat(binary.versionArgv()).containsExactly(kustomizeDir.resolve("kustomize").toString(), "version");
  }

  @Test
  void kubectlOnPathIsUsedInItsKustomizeFormWhenNoStandaloneBinaryExists() throws Exception {
    Path kubectl = executable("b/kubectl");

    KustomizeBinary binary = KustomizeBinary.locate(null, pathOf(kubectl.getParent()), runner);

    assertThat(binary.buildArgv(overlay)).containsExactly(kubectl.toString(), "kustomize", overlay.toString());
    assertThat(binary.versionArgv()).containsExactly(kubectl.toString(), "version", "--client");
  }

  @Test
  void explicitPathWinsOverThePath() throws Exception {
    Path mine = executable("tools/kustomize-v5.4");
    Path onPath = executable("bin/kustomize");

    KustomizeBinary binary = KustomizeBinary.locate(mine.toString(), pathOf(onPath.getParent()), runner);

    assertThat(binary.buildArgv(overlay)).containsExactly(mine.toString(), "build", overlay.toString());
  }

  @Test
  void environmentVariableIsUsedWhenNoOptionIsGiven() throws Exception {
    Path mine = executable("tools/kustomize");
    Map<String, String> env = Map.of("PATH", "", "FLOTILLA_KUSTOMIZE", mine.toString());

    assertThat(KustomizeBinary.locate(null, env, runner).executable()).isEqualTo(mine);
  }

  @Test
  void optionWinsOverTheEnvironmentVariable() throws Exception {
    Path option = executable("option/kustomize");
    Path variable = executable("variable/kustomize");
    Map<String, String> env = Map.of("PATH", "", "FLOTILLA_KUSTOMIZE", variable.toString());

    assertThat(KustomizeBinary.locate(option.toString(), env, runner).executable()).isEqualTo(option);
  }

  @Test
  void explicitPathNamedKubectlUsesTheKubectlForm() throws Exception {
    Path kubectl = executable("gcloud/bin/kubectl");

    KustomizeBinary binary = KustomizeBinary.locate(kubectl.toString(), Map.of("PATH", ""), runner);

    assertThat(binary.buildArgv(overlay)).containsExactly(kubectl.toString(), "kustomize", overlay.toString());
  }

  @Test
  void explicitBareNameIsLookedUpOnThePath() throws Exception {
    Path kubectl = executable("bin/kubectl");

    KustomizeBinary binary = KustomizeBinary.locate("kubectl", pathOf(kubectl.getParent()), runner);

    assertThat(binary.executable()).isEqualTo(kubectl);
    assertThat(binary.form()).isEqualTo(KustomizeBinary.Form.KUBECTL);
  }

  @Test
  void nonExecutableFilesOnThePathAreIgnored() throws Exception {
    Path plain = tmp.resolve("bin/kustomize");
    Files.createDirectories(plain.getParent());
    Files.writeString(plain, "not a program");
    Path kubectl = executable("other/kubectl");

    KustomizeBinary binary = KustomizeBinary.locate(null, pathOf(plain.getParent(), kubectl.getParent()), runner);

    assertThat(binary.executable()).isEqualTo(kubectl);
  }

  @Test
  void missingBinaryFailsWithHowToInstallOne() {
    assertThatThrownBy(() -> KustomizeBinary.locate(null, pathOf(tmp), runner))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("neither kustomize nor kubectl is on PATH")
        .hasMessageContaining("install kubectl 1.27+")
        .hasMessageContaining("standalone kustomize v5")
        .hasMessageContaining("FLOTILLA_KUSTOMIZE / --kustomize");
  }

  @Test
  void explicitPathThatIsNotAProgramFailsNamingItAndItsSource() {
    Path missing = tmp.resolve("nowhere/kustomize");

    assertThatThrownBy(() -> KustomizeBinary.locate(missing.toString(), pathOf(tmp), runner))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("--kustomize")
        .hasMessageContaining("install kubectl 1.27+");
  }

  @Test
  void versionIsAskedOnceAndRemembered() throws Exception {
    Path counter = tmp.resolve("asked");
    Path fake = tmp.resolve("bin/kustomize");
    Files.createDirectories(fake.getParent());
    Files.writeString(fake, "#!/bin/sh\necho x >> '" + counter + "'\necho v5.4.3\n");
    makeExecutable(fake);
    KustomizeBinary binary = KustomizeBinary.locate(fake.toString(), Map.of("PATH", ""), runner);

    String first = binary.version();
    String second = binary.version();

    assertThat(first).isEqualTo(second).contains("v5.4.3");
    assertThat(Files.readAllLines(counter)).hasSize(1);
  }

  private Path executable(String relative) throws Exception {
    Path p = tmp.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/sh\nexit 0\n");
    makeExecutable(p);
    return p;
  }

  private static void makeExecutable(Path p) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Map<String, String> pathOf(Path... dirs) {
    StringBuilder path = new StringBuilder();
    for (Path d : dirs) path.append(path.length() == 0 ? "" : java.io.File.pathSeparator).append(d);
    return Map.of("PATH", path.toString());
  }
}
