package dev.flotilla.scaffold;

import dev.flotilla.testing.RepoRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatesTest {
  @TempDir Path tmp;

  private final Path real = RepoRoot.templates();

  @Test
  void anExplicitPathWinsOverEverythingElse() throws Exception {
    Templates t = Templates.locate(Optional.of(real), Map.of(Templates.ENV, "/nowhere"), Optional.empty(), tmp);
    assertThat(t.root()).isEqualTo(real.toAbsolutePath().normalize());
  }

  @Test
  void theEnvironmentVariableComesNext() throws Exception {
    Templates t = Templates.locate(Optional.empty(), Map.of(Templates.ENV, real.toString()), Optional.of(tmp), tmp);
    assertThat(t.root()).isEqualTo(real.toAbsolutePath().normalize());
  }

  @Test
  void aWrongEnvironmentVariableFailsInsteadOfFallingBack() {
    assertThatThrownBy(() -> Templates.locate(Optional.empty(), Map.of(Templates.ENV, tmp.toString()), Optional.empty(), RepoRoot.find()))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining(Templates.ENV)
        .hasMessageContaining(tmp.toString());
  }

  @Test
  void theFolderTwoLevelsAboveTheJarFolderIsFoundLikeTheProjectLayout() throws Exception {
    Path jarFolder = RepoRoot.find().resolve("engine/target");
    Templates t = Templates.locate(Optional.empty(), Map.of(), Optional.of(jarFolder), tmp);
    assertThat(t.root()).isEqualTo(real.toAbsolutePath().normalize());
  }

  @Test
  void theWorkingDirectoryIsTheLastResort() throws Exception {
    Templates t = Templates.locate(Optional.empty(), Map.of(), Optional.of(tmp), RepoRoot.find());
    assertThat(t.root()).isEqualTo(real.toAbsolutePath().normalize());
  }

  @Test
  void whenNothingIsFoundTheMessageNamesWhereItLooked() throws Exception {
    Path jarFolder = Files.createDirectories(tmp.resolve("a/b/c"));
    assertThatThrownBy(() -> Templates.locate(Optional.empty(), Map.of(), Optional.of(jarFolder), tmp))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining(tmp.resolve("a/templates").toString())
        .hasMessageContaining(tmp.resolve("templates").toString())
        .hasMessageContaining(Templates.ENV);
  }
}
