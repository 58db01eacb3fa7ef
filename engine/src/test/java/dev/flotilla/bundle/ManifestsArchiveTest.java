package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManifestsArchiveTest {
  static TreeMap<String, byte[]> files() {
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put("pos.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pos\n".getBytes(StandardCharsets.UTF_8));
    files.put("extra/b.yaml", "b: 2\n".repeat(300).getBytes(StandardCharsets.UTF_8));
    return files;
  }

  @Test
  void packingTheSameFilesTwiceGivesTheSameBytes() {
    assertThat(ManifestsArchive.pack(files())).isEqualTo(ManifestsArchive.pack(files()));
  }

  @Test
  void gzipHeaderHasNoTimestampAndNoName() {
    byte[] gz = ManifestsArchive.pack(files());
    assertThat(gz[3]).as("FLG: no name, no comment, no extra").isEqualTo((byte) 0);
    assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).as("MTIME").containsOnly(0);
  }

  @Test
  void unpacksWhatWasPacked() throws Rejection {
    Map<String, byte[]> back = ManifestsArchive.unpack(ManifestsArchive.pack(files()), Limits.DEFAULT);
    assertThat(back.keySet()).containsExactly("extra/b.yaml", "pos.yaml");
    assertThat(back.get("pos.yaml")).isEqualTo(files().get("pos.yaml"));
    assertThat(back.get("extra/b.yaml")).isEqualTo(files().get("extra/b.yaml"));
  }

  @Test
  void refusesToPackAnUnsafePath() {
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put("../etc/passwd", new byte[1]);
    assertThatThrownBy(() -> ManifestsArchive.pack(files)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../etc/passwd");
  }

  @Test
  void unpackingStopsAtTheSizeLimit() {
    byte[] gz = ManifestsArchive.pack(files());
    assertThatThrownBy(() -> ManifestsArchive.unpack(gz, new Limits(1 << 20, 1 << 20, 1000, 10)))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.TOO_LARGE));
  }

  @Test
  void unpackingStopsAtTheEntryLimit() {
    byte[] gz = ManifestsArchive.pack(files());
    assertThatThrownBy(() -> ManifestsArchive.unpack(gz, new Limits(1 << 20, 1 << 20, 1 << 20, 1)))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.TOO_LARGE));
  }

  @Test
  void safePaths() {
    assertThat(ArchivePath.isSafe("pos.yaml")).isTrue();
    assertThat(ArchivePath.isSafe("a/b-c_d.yaml")).isTrue();
    for (String bad : new String[] {"", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a/", "a\\b", "c:x", "a b", "x".repeat(101)}) {
      assertThat(ArchivePath.isSafe(bad)).as(bad).isFalse();
    }
  }
}
