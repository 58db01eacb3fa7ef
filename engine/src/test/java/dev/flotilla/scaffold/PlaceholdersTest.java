package dev.flotilla.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  private final Path source = Path.of("templates/new/site.yaml");

  @Test
  void fillsKnownPlaceholdersAndLeavesRuntimeSubstitutionAlone() throws Exception {
    String out = new Placeholders().with("NAME", "store-7").fill("name: __NAME__\nsite: ${SITE_NAME}\n", source);
    assertThat(out).isEqualTo("name: store-7\nsite: ${SITE_NAME}\n");
  }

  @Test
  void anUnknownPlaceholderNamesTheTemplateFile() {
    assertThatThrownBy(() -> new Placeholders().with("NAME", "x").fill("tier: __TEIR__", source))
        .isInstanceOf(ScaffoldException.class)
        .hasMessageContaining(source.toString())
        .hasMessageContaining("unknown placeholder __TEIR__");
  }
}
