package dev.flotilla.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkedExamplesTest {
  @TempDir Path dir;

  @Test
  void onlyBashBlocksRightAfterTheMarkerAreExamples() throws IOException {
    Path md = Files.writeString(dir.resolve("README.md"), """
        Text.

        ```bash
        ./flotilla serve --repo https://example.com/fleet.git
        ```

        <!-- example -->

        ```bash
        # a comment
        ./flotilla validate --repo fleet-repo-example

        ./flotilla plan --repo fleet-repo-example \\
            --from HEAD~1 --to HEAD
        ```

        <!-- example -->
        Some text breaks the mark.
        ```bash
        ./flotilla demo
        ```
        """);

    MarkedExamples examples = MarkedExamples.read(md);

    assertThat(examples.blocks()).hasSize(1);
    assertThat(examples.blocks().get(0).line()).isEqualTo(9);
    assertThat(examples.blocks().get(0).commands()).containsExactly(
        "./flotilla validate --repo fleet-repo-example",
        "./flotilla plan --repo fleet-repo-example --from HEAD~1 --to HEAD");
  }
}
