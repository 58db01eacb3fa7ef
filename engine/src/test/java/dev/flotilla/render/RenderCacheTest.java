package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCacheTest {
  private static final String HASH = "a".repeat(64);
  private static final String YAML = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";

  @TempDir Path cacheDir;

  @Test
  void storedOutputIsReturnedAndCountedAsAHit() {
    RenderCache cache = RenderCache.inMemory();

    assertThat(cache.get(HASH)).isEmpty();
    cache.put(HASH, YAML);

    assertThat(cache.get(HASH)).contains(YAML);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(1);
  }

  @Test
  void aNewCacheOnTheSameFolderReusesWhatAnEarlierOneWrote() {
    RenderCache.onDisk(cacheDir).put(HASH, YAML);

    RenderCache later = RenderCache.onDisk(cacheDir);

    assertThat(later.get(HASH)).contains(YAML);
    assertThat(cacheDir.resolve("render/" + HASH + ".yaml")).hasContent(YAML);
  }

  @Test
  void writingLeavesNoTemporaryFilesBehind() throws Exception {
    RenderCache cache = RenderCache.onDisk(cacheDir);

    cache.put(HASH, YAML);
    cache.put(HASH, YAML);

    try (var files = Files.list(cacheDir.resolve("render"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(HASH + ".yaml");
    }
  }

  @Test
  void anUnwritableFolderOnlyCostsTheDiskCopy() throws Exception {
    Path blocked = cacheDir.resolve("file-not-folder");
    Files.writeString(blocked, "x");
    RenderCache cache = RenderCache.onDisk(blocked);

    cache.put(HASH, YAML);

    assertThat(cache.get(HASH)).contains(YAML);
  }

  @Test
  void keysThatAreNotSha256DigestsAreRefused() {
    assertThatThrownBy(() -> RenderCache.onDisk(cacheDir).get("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
